/** DeleteRepositoryCreationTemplate: removes the template and answers it; repositories it made keep their settings. */
import type {
  DeleteRepositoryCreationTemplateRequest,
  DeleteRepositoryCreationTemplateResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RepositoryTemplateRecord, registryKeys } from '../model/registry-settings.ts';
import { checkPrefix, templateNotFound, templateShape } from './template-settings.ts';

export async function deleteRepositoryCreationTemplate(
  ctx: EcrContext,
  input: DeleteRepositoryCreationTemplateRequest,
  _request: RequestContext,
): Promise<Wire<DeleteRepositoryCreationTemplateResponse>> {
  const prefix = input.prefix!;
  checkPrefix(prefix);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<RepositoryTemplateRecord>(Kind.Meta, registryKeys.template(prefix));
    if (!stored) throw templateNotFound(ctx, prefix);
    await tx.remove(Kind.Meta, registryKeys.template(prefix), stored.version);
    return { registryId: ctx.partition.accountId, repositoryCreationTemplate: templateShape(stored.value) };
  });
}
