/** Applies a planned step in the reconcile's transaction: stops first (they free capacity), then starts. */
import { keys } from '../../ecs/model/records.ts';
import { clusterSnapshot } from '../../ecs/model/tasks/cluster-snapshot.ts';
import { startDaemonTasks } from './daemon-start.ts';
import { launchFor, type Step, type StepArgs, wakeAfter } from './plan-step.ts';
import { messages } from './service-events.ts';
import type { ServiceTask } from './service-tasks.ts';
import { type Started, startTasks } from './start-tasks.ts';
import { stopTasks } from './stop-tasks.ts';

/** Stops first (they free capacity the starts may need), then starts; returns the tasks as they now are. */
export async function applyStep(
  a: Omit<StepArgs, 'draining'> & { step: Step },
): Promise<{ tasks: ServiceTask[]; events: string[] }> {
  const cluster = a.obs.cluster.clusterName;
  const name = a.service.serviceName ?? '';
  const stopped = await stopTasks(a.ctx, a.tx, name, a.step.stops);
  const tasks = a.obs.tasks.map((t) => {
    const changed = stopped.records.get(t.key);
    return changed ? a.obs.reclassify(t.key, changed.version, changed.record) : t;
  });
  const events = [...stopped.events];
  const primary = a.step.primary;
  const launch =
    primary && (a.step.start > 0 || a.step.startOn.length > 0) ? launchFor(a, primary) : undefined;
  if (!launch) return { tasks, events };
  let started: Started;
  if (a.step.startOn.length > 0) {
    started = await startDaemonTasks(
      launch,
      a.step.startOn,
      a.step.snapshot ?? (await clusterSnapshot(a.ctx, a.tx, cluster)),
    );
  } else {
    started = await startTasks(launch, a.step.start, await clusterSnapshot(a.ctx, a.tx, cluster));
  }
  const ids: string[] = [];
  for (const record of started.created) {
    const id = (record.task.taskArn ?? '').split('/').pop() ?? '';
    ids.push(id);
    tasks.push(a.obs.reclassify(keys.task(cluster, id), 1, record));
  }
  if (ids.length > 0) events.push(messages.started(name, ids));
  for (const [provider, n] of started.provisioning ?? [])
    events.push(messages.provisioning(name, provider, n));
  if (started.unplaced) {
    // No immediate pass after a task that fits nowhere: the next try waits for placementRetryMs
    // (instance and task changes wake the service sooner), however many tasks are still wanted.
    events.push(
      started.unplaced.fargate
        ? messages.unplacedFargate(name, started.unplaced.reason, started.unplaced.fargate.detail)
        : messages.unplaced(name, started.unplaced.closest, started.unplaced.reason),
    );
    wakeAfter(a.wake, a.options.placementRetryMs);
  } else if (a.step.more && ids.length > 0) wakeAfter(a.wake, 0);
  return { tasks, events };
}
