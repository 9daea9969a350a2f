/**
 * ServiceDeployment and ServiceDeploymentBrief views of a service's deployments. Each deployment
 * (`ecs-svc/<digits>`) is one service deployment, `.../service-deployment/CLUSTER/SERVICE/<digits>`,
 * whose target revision is `.../service-revision/CLUSTER/SERVICE/<digits>`.
 */
import type { ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { ecsArn, type Partition, ResourceType } from '../../core/arn.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { BREAKER_FAILED_REASON, failureThreshold } from '../model/services/circuit-breaker.ts';
import type { ServiceRecord } from '../model/records.ts';
import { DeploymentStatus, RolloutState, type WireDeployment } from '../model/services/deployments.ts';

const digits = (id: string): string => id.replace(/^ecs-svc\//, '');

export function serviceDeploymentArn(p: Partition, record: ServiceRecord, id: string): string {
  return ecsArn(
    p,
    ResourceType.ServiceDeployment,
    `${record.clusterName}/${record.service.serviceName}/${digits(id)}`,
  );
}

export function serviceRevisionArn(p: Partition, record: ServiceRecord, id: string): string {
  return ecsArn(
    p,
    ResourceType.ServiceRevision,
    `${record.clusterName}/${record.service.serviceName}/${digits(id)}`,
  );
}

/** Rolling-update deployments mapped onto the ServiceDeployment states. */
export function deploymentState(
  record: ServiceRecord,
  d: WireDeployment,
): { status: ServiceDeploymentStatus; statusReason?: string } {
  const id = d.id ?? '';
  const s = record.scheduler;
  if (s?.stopRequested?.[id]) {
    return { status: s.stopRequested[id] === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED' };
  }
  const rollback = s?.rollbacks?.[id];
  if (rollback) {
    const target = record.service.deployments?.find((x) => x.id === rollback.targetId);
    const status: ServiceDeploymentStatus =
      target?.rolloutState === RolloutState.Completed
        ? 'ROLLBACK_SUCCESSFUL'
        : target?.rolloutState === RolloutState.Failed
          ? 'ROLLBACK_FAILED'
          : 'ROLLBACK_IN_PROGRESS';
    return { status, statusReason: rollback.reason };
  }
  if (d.rolloutState === RolloutState.Completed)
    return { status: 'SUCCESSFUL', statusReason: d.rolloutStateReason };
  if (d.rolloutState === RolloutState.Failed)
    return { status: 'STOPPED', statusReason: d.rolloutStateReason };
  if (d.status === DeploymentStatus.Primary)
    return { status: 'IN_PROGRESS', statusReason: d.rolloutStateReason };
  return { status: 'STOPPED', statusReason: 'A newer service deployment replaced it before it completed.' };
}

export function deploymentBrief(
  p: Partition,
  record: ServiceRecord,
  d: WireDeployment,
): Wire<ServiceDeploymentBrief> {
  const id = d.id ?? '';
  const finished = record.scheduler?.finishedAt?.[id];
  const started = record.scheduler?.rolloutStartedAt?.[id];
  return {
    serviceDeploymentArn: serviceDeploymentArn(p, record, id),
    serviceArn: record.service.serviceArn,
    clusterArn: record.service.clusterArn,
    startedAt: started !== undefined ? epochSeconds(started) : d.createdAt,
    createdAt: d.createdAt,
    ...(finished !== undefined ? { finishedAt: epochSeconds(finished) } : {}),
    targetServiceRevisionArn: serviceRevisionArn(p, record, id),
    ...deploymentState(record, d),
  };
}

export function deploymentView(
  p: Partition,
  record: ServiceRecord,
  d: WireDeployment,
): Wire<ServiceDeployment> {
  const { targetServiceRevisionArn, ...brief } = deploymentBrief(p, record, d);
  const id = d.id ?? '';
  const all = record.service.deployments ?? [];
  const breaker = record.service.deploymentConfiguration?.deploymentCircuitBreaker;
  const rollback = record.scheduler?.rollbacks?.[id];
  const stopped = brief.status === 'STOPPED' || brief.status?.startsWith('ROLLBACK_');
  const view: Wire<ServiceDeployment> = {
    ...brief,
    ...(stopped && brief.finishedAt !== undefined ? { stoppedAt: brief.finishedAt } : {}),
    updatedAt: d.updatedAt,
    sourceServiceRevisions: (record.scheduler?.sources?.[id] ?? []).map((source) => {
      const s = all.find((x) => x.id === source);
      return {
        arn: serviceRevisionArn(p, record, source),
        requestedTaskCount: s?.desiredCount ?? 0,
        runningTaskCount: s?.runningCount ?? 0,
        pendingTaskCount: s?.pendingCount ?? 0,
      };
    }),
    targetServiceRevision: {
      arn: targetServiceRevisionArn,
      requestedTaskCount: d.desiredCount ?? 0,
      runningTaskCount: d.runningCount ?? 0,
      pendingTaskCount: d.pendingCount ?? 0,
    },
    deploymentConfiguration: record.service.deploymentConfiguration,
    deploymentCircuitBreaker: {
      status: !breaker?.enable
        ? 'DISABLED'
        : d.rolloutStateReason === BREAKER_FAILED_REASON
          ? 'TRIGGERED'
          : d.rolloutState === RolloutState.InProgress
            ? 'MONITORING'
            : 'MONITORING_COMPLETE',
      failureCount: d.failedTasks ?? 0,
      threshold: failureThreshold(d.desiredCount ?? 0),
    },
  };
  if (rollback) {
    view.rollback = {
      reason: rollback.reason,
      startedAt: epochSeconds(rollback.startedAt),
      serviceRevisionArn: serviceRevisionArn(p, record, rollback.targetId),
    };
  }
  return view;
}
