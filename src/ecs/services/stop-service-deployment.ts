/**
 * StopServiceDeployment: asks the service controller to stop an IN_PROGRESS deployment, rolling
 * back to the last completed one (ROLLBACK) or just stopping it (ABORT). The request is recorded
 * on the service (the deployment shows ROLLBACK_REQUESTED / STOP_REQUESTED) and the controller
 * carries it out on its next pass, so it survives a restart.
 */
import type { StopServiceDeploymentRequest, StopServiceDeploymentResponse } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { rollbackTarget } from '../model/services/circuit-breaker.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import type { ServiceRecord } from '../model/records.ts';
import { checkEnum, requireNonEmpty } from '../model/validation.ts';
import { DeploymentStatus, RolloutState } from '../model/services/deployments.ts';
import { findServiceDeployment } from './describe-service-deployments.ts';

const STOP_TYPES = ['ROLLBACK', 'ABORT'] as const;

export async function stopServiceDeployment(
  ctx: EcsContext,
  input: Wire<StopServiceDeploymentRequest>,
): Promise<Wire<StopServiceDeploymentResponse>> {
  const arn = requireNonEmpty('serviceDeploymentArn', input.serviceDeploymentArn);
  const type = checkEnum('stopType', input.stopType, STOP_TYPES) ?? 'ROLLBACK';
  await ctx.store.transact(async (tx) => {
    const found = await findServiceDeployment(ctx, tx, arn);
    if (!found)
      throw new ServiceError(
        EcsErrorCode.ServiceDeploymentNotFound,
        'The service deployment does not exist.',
      );
    const { record, deployment } = found;
    const id = deployment.id ?? '';
    if (
      record.service.status !== 'ACTIVE' ||
      deployment.status !== DeploymentStatus.Primary ||
      deployment.rolloutState !== RolloutState.InProgress
    ) {
      throw new ServiceError(
        EcsErrorCode.Conflict,
        'The service deployment is not in progress and cannot be stopped.',
      );
    }
    if (type === 'ROLLBACK' && !rollbackTarget(record.service.deployments ?? [], id)) {
      throw new ServiceError(
        EcsErrorCode.Conflict,
        'There is no completed service revision to roll back to.',
      );
    }
    const next: ServiceRecord = {
      ...record,
      scheduler: { ...record.scheduler, stopRequested: { ...record.scheduler?.stopRequested, [id]: type } },
    };
    await tx.put(Kind.Service, found.key, next, found.version);
  });
  return { serviceDeploymentArn: arn };
}
