/**
 * DescribeImageScanFindings: the image's last scan: its status, and once COMPLETE its findings
 * (a page at a time, most severe first) with the counts per severity.
 */
import type {
  DescribeImageScanFindingsRequest,
  DescribeImageScanFindingsResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { ecrPage } from '../repositories/paging.ts';
import { currentScan, requestScan, resumeScans, severityCounts } from './scanner.ts';
import { findImage } from './start-image-scan.ts';

export async function describeImageScanFindings(
  ctx: EcrContext,
  input: DescribeImageScanFindingsRequest,
  _request: RequestContext,
): Promise<Wire<DescribeImageScanFindingsResponse>> {
  const { record: repo } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const id = input.imageId ?? {};
  const image = await findImage(ctx, repo, id);
  resumeScans(ctx);
  const scan = await currentScan(ctx.store, image);
  if (!scan) {
    throw new ServiceError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}' in the repository with name '${repo.repositoryName}' in the registry with id '${repo.registryId}'`,
    );
  }
  if (scan.status === 'IN_PROGRESS') requestScan(ctx, repo.repositoryName, image.imageDigest);
  const findings = scan.findings ?? [];
  const numbered = findings.map((f, i) => ({ f, key: String(i).padStart(8, '0') }));
  const page = ecrPage(numbered, (n) => n.key, input);
  const out: Wire<DescribeImageScanFindingsResponse> = {
    registryId: repo.registryId,
    repositoryName: repo.repositoryName,
    imageId: {
      imageDigest: image.imageDigest,
      ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
    },
    imageScanStatus: { status: scan.status, ...(scan.description ? { description: scan.description } : {}) },
  } as Wire<DescribeImageScanFindingsResponse>;
  if (scan.status === 'COMPLETE') {
    (out as Record<string, unknown>).imageScanFindings = {
      ...(scan.completedAt !== undefined ? { imageScanCompletedAt: scan.completedAt } : {}),
      ...(scan.vulnerabilitySourceUpdatedAt !== undefined
        ? { vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt }
        : {}),
      findingSeverityCounts: severityCounts(findings),
      findings: page.items.map((n) => n.f),
    };
    if (page.nextToken) (out as Record<string, unknown>).nextToken = page.nextToken;
  }
  return out;
}
