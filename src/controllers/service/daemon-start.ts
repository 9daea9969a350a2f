/** Starts a DAEMON service's tasks: one placement per chosen instance, checked against that instance alone (as StartTask does). */
import { keys, type ServiceRecord } from '../../ecs/model/records.ts';
import { applyPlan, type ClusterSnapshot, place } from '../../scheduler/index.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { create, type Launch, type Started, serviceRequest } from './start-tasks.ts';

export async function startDaemonTasks(
  l: Launch,
  instanceArns: readonly string[],
  snapshot: ClusterSnapshot,
): Promise<Started> {
  const out: Started = { created: [], snapshot };
  for (const arn of instanceArns) {
    const instance = out.snapshot.instances.find((i) => i.arn === arn);
    if (!instance) continue;
    const request = serviceRequest(l, 1);
    const plan = place({ instances: [instance] }, request);
    if (plan.failures.length > 0) {
      const decision = plan.explanation.tasks[0];
      const closest = decision?.type === 'unplaced' ? decision.closest : undefined;
      out.unplaced = { closest: instance.id, reason: closest?.reason ?? plan.failures[0].reason };
      continue;
    }
    const tasks = await create(l, request, plan.placements, out.snapshot);
    out.created.push(...tasks);
    out.snapshot = applyPlan(
      out.snapshot,
      request,
      plan,
      tasks.map((t) => t.task.taskArn ?? ''),
    );
  }
  return out;
}

/** `service:NAME` groups of the cluster's ACTIVE and DRAINING REPLICA services. */
export async function replicaGroups(reader: Reader, cluster: string): Promise<Set<string>> {
  const services = await reader.list<ServiceRecord>(Kind.Service, { prefix: keys.inCluster(cluster) });
  return new Set(
    services
      .filter((s) => s.value.service.schedulingStrategy !== 'DAEMON' && s.value.service.status !== 'INACTIVE')
      .map((s) => `service:${s.value.service.serviceName}`),
  );
}
