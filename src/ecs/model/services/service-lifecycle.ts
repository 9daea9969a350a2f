/**
 * A deleted service's way out: ACTIVE -> DRAINING while its tasks stop -> INACTIVE, then purged
 * after INACTIVE_SERVICE_RETENTION_MS. DeleteService starts it; the service controller finishes
 * it (calling `deactivate` once `hasLiveTasks` is false).
 */
import { Kind, type Reader } from '../../../store/store.ts';
import { keys, type ServiceRecord, type TaskRecord } from '../records.ts';
import { updatePrimary } from './deployments.ts';
import { INACTIVE_SERVICE_RETENTION_MS } from './service-rules.ts';

/**
 * "After all tasks have transitioned to either STOPPING or STOPPED status, the service status
 * moves from DRAINING to INACTIVE" (DeleteService docs), so a stopping task no longer counts.
 */
const FINISHED_TASK_STATUSES: readonly string[] = ['STOPPING', 'DEPROVISIONING', 'STOPPED'];

/** True while any task of the service has not reached STOPPING. */
export async function hasLiveTasks(reader: Reader, cluster: string, serviceName: string): Promise<boolean> {
  const tasks = await reader.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) });
  return tasks.some(
    (t) =>
      t.value.serviceName === serviceName && !FINISHED_TASK_STATUSES.includes(t.value.task.lastStatus ?? ''),
  );
}

/** DeleteService's change: scaled to zero, DRAINING (or INACTIVE straight away when no task is left). */
export function drain(record: ServiceRecord, nowMs: number, liveTasks: boolean): ServiceRecord {
  const service = record.service;
  const deployments = (service.deployments ?? []).map((d) => ({ ...d, desiredCount: 0 }));
  const drained: ServiceRecord = {
    ...record,
    service: {
      ...service,
      desiredCount: 0,
      status: 'DRAINING',
      deployments: updatePrimary(deployments, {}, nowMs),
    },
  };
  return liveTasks ? drained : deactivate(drained, nowMs);
}

/** DRAINING -> INACTIVE: no longer counted or listed, describable until it expires. */
export function deactivate(record: ServiceRecord, nowMs: number): ServiceRecord {
  return {
    ...record,
    service: { ...record.service, status: 'INACTIVE' },
    expiresAt: nowMs + INACTIVE_SERVICE_RETENTION_MS,
  };
}
