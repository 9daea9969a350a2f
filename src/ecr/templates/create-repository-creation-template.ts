/**
 * CreateRepositoryCreationTemplate: the settings of repositories ECR creates on the caller's
 * behalf. Of the scenarios, REPLICATION acts here (the replication controller creates destination
 * repositories from the destination region's templates); PULL_THROUGH_CACHE and CREATE_ON_PUSH
 * are recorded: Longshore has no pull through cache and never creates a repository on push.
 */
import type {
  CreateRepositoryCreationTemplateRequest,
  CreateRepositoryCreationTemplateResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RepositoryTemplateRecord, registryKeys } from '../model/registry-settings.ts';
import {
  applyTemplateInput,
  checkPrefix,
  templateAlreadyExists,
  templateShape,
} from './template-settings.ts';

export async function createRepositoryCreationTemplate(
  ctx: EcrContext,
  input: CreateRepositoryCreationTemplateRequest,
  _request: RequestContext,
): Promise<Wire<CreateRepositoryCreationTemplateResponse>> {
  const prefix = input.prefix!;
  checkPrefix(prefix);
  const settings = applyTemplateInput({ prefix, resourceTags: [], appliedFor: [] }, input);
  const now = epochSeconds(ctx.clock.now());
  const record: RepositoryTemplateRecord = { ...settings, createdAt: now, updatedAt: now };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.Meta, registryKeys.template(prefix))) throw templateAlreadyExists(ctx, prefix);
    await tx.put(Kind.Meta, registryKeys.template(prefix), record, 'absent');
  });
  return { registryId: ctx.partition.accountId, repositoryCreationTemplate: templateShape(record) };
}
