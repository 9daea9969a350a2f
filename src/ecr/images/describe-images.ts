/** DescribeImages: details of the named images (each must exist), or of every image a page at a time. */
import type { DescribeImagesRequest, DescribeImagesResponse, ImageDetail } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys, type RepositoryRecord } from '../model/records.ts';
import { EcrErrorCode, getRepository, invalidParameter } from '../model/repositories.ts';
import { ecrPage } from '../repositories/paging.ts';
import { resumeScans, type ScanRecord, severityCounts } from '../scanning/scanner.ts';
import { readImageFilter } from './image-filters.ts';
import { type ImageView, imagesOf, matchesTagStatus, resolveImageId } from './image-view.ts';

export async function describeImages(
  ctx: EcrContext,
  input: DescribeImagesRequest,
  _request: RequestContext,
): Promise<Wire<DescribeImagesResponse>> {
  const filter = readImageFilter(input.filter);
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const images = await imagesOf(ctx.store, record.repositoryName);
  resumeScans(ctx);
  const scans = new Map<string, ScanRecord>();
  for (const s of await ctx.store.list<ScanRecord>(Kind.EcrScan, {
    prefix: ecrKeys.imagesOf(record.repositoryName),
  })) {
    if (images.get(s.value.imageDigest)?.record.imagePushedAt === s.value.imagePushedAt) {
      scans.set(s.value.imageDigest, s.value);
    }
  }
  if (input.imageIds !== undefined) {
    if (input.imageIds.length < 1 || input.imageIds.length > 100) {
      throw invalidParameter('imageIds', 'Member must have length between 1 and 100');
    }
    if (input.maxResults !== undefined || input.nextToken !== undefined) {
      throw invalidParameter('maxResults', 'maxResults and nextToken cannot be used with imageIds');
    }
    const found = new Map<string, ImageView>();
    for (const id of input.imageIds) {
      const resolved = resolveImageId(images, id);
      if (!resolved.ok) {
        if (resolved.code !== 'ImageNotFound' && resolved.code !== 'ImageTagDoesNotMatchDigest') {
          throw new ServiceError(EcrErrorCode.InvalidParameter, resolved.reason);
        }
        throw imageNotFound(id, record);
      }
      found.set(resolved.view.record.imageDigest, resolved.view);
    }
    return {
      imageDetails: [...found.values()].map((v) => imageDetail(record, v, scans.get(v.record.imageDigest))),
    };
  }
  const views = filter.none ? [] : [...images.values()].filter((v) => matchesTagStatus(v, filter.tagStatus));
  const page = ecrPage(views, (v) => v.record.imageDigest, input);
  return {
    imageDetails: page.items.map((v) => imageDetail(record, v, scans.get(v.record.imageDigest))),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

/** ECR's ImageNotFoundException, naming the imageId as ECR prints it. */
export function imageNotFound(
  id: { imageDigest?: string; imageTag?: string },
  repo: RepositoryRecord,
): ServiceError {
  return new ServiceError(
    EcrErrorCode.ImageNotFound,
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo.repositoryName}' in the registry with id '${repo.registryId}'`,
  );
}

/** An image as DescribeImages answers it, with its last scan's status and counts when it has one. */
export function imageDetail(repo: RepositoryRecord, view: ImageView, scan?: ScanRecord): Wire<ImageDetail> {
  const r = view.record;
  return {
    registryId: repo.registryId,
    repositoryName: repo.repositoryName,
    imageDigest: r.imageDigest,
    ...(view.tags.length > 0 ? { imageTags: view.tags } : {}),
    imageSizeInBytes: r.imageSizeInBytes,
    imagePushedAt: r.imagePushedAt,
    imageManifestMediaType: r.imageManifestMediaType,
    ...(r.artifactMediaType ? { artifactMediaType: r.artifactMediaType } : {}),
    ...(r.lastRecordedPullTime !== undefined ? { lastRecordedPullTime: r.lastRecordedPullTime } : {}),
    ...(r.subject ? { subjectManifestDigest: r.subject } : {}),
    ...(scan
      ? {
          imageScanStatus: {
            status: scan.status,
            ...(scan.description ? { description: scan.description } : {}),
          },
        }
      : {}),
    ...(scan?.status === 'COMPLETE'
      ? {
          imageScanFindingsSummary: {
            ...(scan.completedAt !== undefined ? { imageScanCompletedAt: scan.completedAt } : {}),
            ...(scan.vulnerabilitySourceUpdatedAt !== undefined
              ? { vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt }
              : {}),
            findingSeverityCounts: severityCounts(scan.findings ?? []),
          },
        }
      : {}),
  } as Wire<ImageDetail>;
}
