/** DeleteRepository: refused while it holds images unless `force`, which deletes them with it. */
import { blobStoreFor } from '../model/blob-store.ts';
import type { DeleteRepositoryRequest, DeleteRepositoryResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { EcrErrorCode, getRepository, removeRepository, repositoryContents } from '../model/repositories.ts';
import { repositoryShape } from './shape.ts';

/**
 * Removes the repository's records (images, tags, open uploads) in one transaction; the blobs they
 * referenced are freed by the registry's garbage collection once nothing else references them.
 */
export async function deleteRepository(
  ctx: EcrContext,
  input: DeleteRepositoryRequest,
  _request: RequestContext,
): Promise<Wire<DeleteRepositoryResponse>> {
  const name = input.repositoryName!;
  const out = await ctx.store.transact(async (tx) => {
    const { record } = await getRepository(tx, ctx, name, input.registryId);
    const contents = await repositoryContents(tx, name);
    if (contents.images > 0 && !input.force) {
      throw new ServiceError(
        EcrErrorCode.RepositoryNotEmpty,
        `The repository with name '${name}' in registry with id '${record.registryId}' cannot be deleted because it still contains images`,
      );
    }
    await removeRepository(tx, name);
    return { repository: repositoryShape(record) };
  });
  blobStoreFor(ctx.registryDir).requestCollection(ctx.clock.now());
  return out;
}
