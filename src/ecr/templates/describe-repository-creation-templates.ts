/** DescribeRepositoryCreationTemplates: the region's templates by prefix (all, or those named), paged. */
import type {
  DescribeRepositoryCreationTemplatesRequest,
  DescribeRepositoryCreationTemplatesResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RepositoryTemplateRecord, registryKeys } from '../model/registry-settings.ts';
import { ecrPage } from '../repositories/paging.ts';
import { checkPrefix, templateShape } from './template-settings.ts';

export async function describeRepositoryCreationTemplates(
  ctx: EcrContext,
  input: DescribeRepositoryCreationTemplatesRequest,
  _request: RequestContext,
): Promise<Wire<DescribeRepositoryCreationTemplatesResponse>> {
  const wanted = input.prefixes;
  for (const p of wanted ?? []) checkPrefix(p);
  const all = (
    await ctx.store.list<RepositoryTemplateRecord>(Kind.Meta, { prefix: registryKeys.templates })
  ).map((s) => s.value);
  const selected = wanted && wanted.length > 0 ? all.filter((t) => wanted.includes(t.prefix)) : all;
  const page = ecrPage(selected, (t) => t.prefix, input);
  return {
    registryId: ctx.partition.accountId,
    repositoryCreationTemplates: page.items.map(templateShape),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
