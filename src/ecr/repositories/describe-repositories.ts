/** DescribeRepositories: the named repositories (each must exist), or every one a page at a time. */
import type { DescribeRepositoriesRequest, DescribeRepositoriesResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext, RepositoryRecord } from '../model/records.ts';
import {
  checkRepositoryName,
  getRepository,
  invalidParameter,
  listRepositories,
  registryIdOf,
  repositoryNotFound,
} from '../model/repositories.ts';
import { ecrPage } from './paging.ts';
import { repositoryShape } from './shape.ts';

export async function describeRepositories(
  ctx: EcrContext,
  input: DescribeRepositoriesRequest,
  _request: RequestContext,
): Promise<Wire<DescribeRepositoriesResponse>> {
  const registryId = registryIdOf(ctx, input.registryId);
  const names = input.repositoryNames;
  if (names !== undefined) {
    if (names.length < 1 || names.length > 100) {
      throw invalidParameter('repositoryNames', 'Member must have length between 1 and 100');
    }
    if (input.maxResults !== undefined || input.nextToken !== undefined) {
      throw invalidParameter('maxResults', 'maxResults and nextToken cannot be used with repositoryNames');
    }
    for (const n of names) checkRepositoryName(n, 'repositoryNames');
    const found: RepositoryRecord[] = [];
    for (const name of new Set(names))
      found.push((await getRepository(ctx.store, ctx, name, registryId)).record);
    return { repositories: found.map(repositoryShape) };
  }
  if (registryId !== ctx.partition.accountId) {
    // Another account's registry: nothing of it is visible here.
    if (input.nextToken !== undefined) throw repositoryNotFound('', registryId);
    return { repositories: [] };
  }
  const page = ecrPage(await listRepositories(ctx.store), (r) => r.repositoryName, input);
  return {
    repositories: page.items.map(repositoryShape),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
