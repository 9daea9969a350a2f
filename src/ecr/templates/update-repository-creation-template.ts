/** UpdateRepositoryCreationTemplate: the members given replace the template's; the others stay. */
import type {
  UpdateRepositoryCreationTemplateRequest,
  UpdateRepositoryCreationTemplateResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RepositoryTemplateRecord, registryKeys } from '../model/registry-settings.ts';
import { applyTemplateInput, checkPrefix, templateNotFound, templateShape } from './template-settings.ts';

export async function updateRepositoryCreationTemplate(
  ctx: EcrContext,
  input: UpdateRepositoryCreationTemplateRequest,
  _request: RequestContext,
): Promise<Wire<UpdateRepositoryCreationTemplateResponse>> {
  const prefix = input.prefix!;
  checkPrefix(prefix);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<RepositoryTemplateRecord>(Kind.Meta, registryKeys.template(prefix));
    if (!stored) throw templateNotFound(ctx, prefix);
    const { createdAt, updatedAt: _previous, ...current } = stored.value;
    const record: RepositoryTemplateRecord = {
      ...applyTemplateInput(current, input),
      createdAt,
      updatedAt: epochSeconds(ctx.clock.now()),
    };
    await tx.put(Kind.Meta, registryKeys.template(prefix), record, stored.version);
    return { registryId: ctx.partition.accountId, repositoryCreationTemplate: templateShape(record) };
  });
}
