/** DescribeServiceDeployments: up to 20 service deployments by ARN; unknown ones are MISSING failures. */
import type {
  DescribeServiceDeploymentsRequest,
  DescribeServiceDeploymentsResponse,
  Failure,
  ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { Reader } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import type { ServiceRecord } from '../model/records.ts';
import { checkMaxItems } from '../model/validation.ts';
import type { WireDeployment } from '../model/services/deployments.ts';
import { deploymentView } from './service-deployment-view.ts';
import { findService } from './service-ref.ts';

/** `arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/DIGITS` -> the service and the deployment. */
export async function findServiceDeployment(
  ctx: EcsContext,
  reader: Reader,
  arn: string,
): Promise<{ record: ServiceRecord; key: string; version: number; deployment: WireDeployment } | undefined> {
  const prefix = `arn:aws:ecs:${ctx.partition.region}:${ctx.partition.accountId}:service-deployment/`;
  if (!arn.startsWith(prefix)) return undefined;
  const [cluster, service, digits, ...rest] = arn.slice(prefix.length).split('/');
  if (!cluster || !service || !digits || rest.length > 0) return undefined;
  const found = await findService(ctx, reader, cluster, service);
  const deployment = found?.value.service.deployments?.find((d) => d.id === `ecs-svc/${digits}`);
  if (!found || !deployment) return undefined;
  return { record: found.value, key: found.key, version: found.version, deployment };
}

export async function describeServiceDeployments(
  ctx: EcsContext,
  input: Wire<DescribeServiceDeploymentsRequest>,
): Promise<Wire<DescribeServiceDeploymentsResponse>> {
  const arns = input.serviceDeploymentArns ?? [];
  if (arns.length === 0) throw invalidParameter('serviceDeploymentArns can not be empty.');
  checkMaxItems('serviceDeploymentArns', arns, 20);
  const serviceDeployments: Wire<ServiceDeployment>[] = [];
  const failures: Failure[] = [];
  for (const arn of arns) {
    const found = await findServiceDeployment(ctx, ctx.store, arn);
    if (found) serviceDeployments.push(deploymentView(ctx.partition, found.record, found.deployment));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}
