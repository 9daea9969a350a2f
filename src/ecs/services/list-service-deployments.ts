/** ListServiceDeployments: a service's deployments, newest first, filtered by status and creation time, 20 per page. */
import type {
  ListServiceDeploymentsRequest,
  ListServiceDeploymentsResponse,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { paginate } from '../../aws/pagination.ts';
import { checkEnum, requireNonEmpty } from '../model/validation.ts';
import { deploymentBrief } from './service-deployment-view.ts';
import { requireService } from './service-ref.ts';

const STATUSES: readonly ServiceDeploymentStatus[] = [
  'PENDING',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

/** Newest first as a key order: the page token then names the last deployment returned. */
const newestFirst = (createdAt: number | undefined, id: string): string =>
  `${String(1e13 - Math.round((createdAt ?? 0) * 1000)).padStart(14, '0')}/${id}`;

export async function listServiceDeployments(
  ctx: EcsContext,
  input: Wire<ListServiceDeploymentsRequest>,
): Promise<Wire<ListServiceDeploymentsResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const serviceName = requireNonEmpty('service', input.service);
  for (const s of input.status ?? []) checkEnum('status', s, STATUSES);
  await activeCluster(ctx.store, cluster);
  const record = (await requireService(ctx, ctx.store, cluster, serviceName)).value;
  const after = input.createdAt?.after;
  const before = input.createdAt?.before;
  const briefs = (record.service.deployments ?? [])
    .map((d) => deploymentBrief(ctx.partition, record, d))
    .filter(
      (b) => (input.status ?? []).length === 0 || input.status?.includes(b.status as ServiceDeploymentStatus),
    )
    .filter(
      (b) =>
        (after === undefined || (b.createdAt ?? 0) >= Number(after)) &&
        (before === undefined || (b.createdAt ?? 0) <= Number(before)),
    )
    .sort((a, b) =>
      newestFirst(a.createdAt, a.serviceDeploymentArn ?? '').localeCompare(
        newestFirst(b.createdAt, b.serviceDeploymentArn ?? ''),
      ),
    );
  const page = paginate(briefs, (b) => newestFirst(b.createdAt, b.serviceDeploymentArn ?? ''), input, {
    max: 100,
    default: 20,
  });
  return { serviceDeployments: page.items, nextToken: page.nextToken };
}
