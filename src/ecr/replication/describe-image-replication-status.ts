/**
 * DescribeImageReplicationStatus: each destination of the image's last replication, IN_PROGRESS,
 * COMPLETE or FAILED (with its failureCode). An image no rule replicated answers an empty list.
 */
import type {
  DescribeImageReplicationStatusRequest,
  DescribeImageReplicationStatusResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import type { ReplicationRecord } from '../model/registry-settings.ts';
import { getRepository } from '../model/repositories.ts';
import { findImage } from '../scanning/start-image-scan.ts';

export async function describeImageReplicationStatus(
  ctx: EcrContext,
  input: DescribeImageReplicationStatusRequest,
  _request: RequestContext,
): Promise<Wire<DescribeImageReplicationStatusResponse>> {
  const { record: repo } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const image = await findImage(ctx, repo, input.imageId!);
  const stored = await ctx.store.get<ReplicationRecord>(
    Kind.EcrReplication,
    ecrKeys.image(repo.repositoryName, image.imageDigest),
  );
  const record = stored?.value.imagePushedAt === image.imagePushedAt ? stored.value : undefined;
  return {
    repositoryName: repo.repositoryName,
    imageId: {
      imageDigest: image.imageDigest,
      ...(input.imageId?.imageTag !== undefined ? { imageTag: input.imageId.imageTag } : {}),
    },
    replicationStatuses: (record?.destinations ?? []).map((d) => ({
      region: d.region,
      registryId: d.registryId,
      status: d.status,
      ...(d.failureCode ? { failureCode: d.failureCode } : {}),
    })),
  };
}
