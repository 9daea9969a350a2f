/**
 * What a SIMULATED task "uses", for the AWS/ECS and Container Insights metrics: containers name it
 * in Docker labels (no label, no usage: the task reports nothing, as before):
 *
 *   longshore.simulation.cpu-units          CPU units in use (1,024 per core)
 *   longshore.simulation.memory-mib         MiB in use
 *   longshore.simulation.network-rx-bps     bytes received per second (tx: network-tx-bps)
 *   longshore.simulation.storage-read-bps   bytes read per second (write: storage-write-bps)
 *
 * Counters grow at their rates from the task's start, as Docker's do. Pure.
 */
import type { TaskUsage } from '../../core/agent-protocol.ts';
import { SIM_LABEL_PREFIX } from './sim-profile.ts';
import type { SimTask } from './sim-task.ts';

const RATES = {
  networkRxBytes: 'network-rx-bps',
  networkTxBytes: 'network-tx-bps',
  storageReadBytes: 'storage-read-bps',
  storageWriteBytes: 'storage-write-bps',
} as const;

export function simTaskUsage(task: Readonly<SimTask>, now: number): TaskUsage | undefined {
  if (task.status !== 'RUNNING' || task.desired !== 'RUNNING' || task.startedAt === undefined)
    return undefined;
  const labels = (task.assignment.taskDefinition.containerDefinitions ?? []).map((c) => c.dockerLabels ?? {});
  const sum = (name: string): number | undefined => {
    let total: number | undefined;
    for (const l of labels) {
      const v = Number(l[SIM_LABEL_PREFIX + name]);
      if (l[SIM_LABEL_PREFIX + name] !== undefined && Number.isFinite(v) && v >= 0) total = (total ?? 0) + v;
    }
    return total;
  };
  const cpuUnits = sum('cpu-units');
  const memoryMiB = sum('memory-mib');
  if (cpuUnits === undefined && memoryMiB === undefined) return undefined;
  const seconds = Math.max(0, now - task.startedAt) / 1000;
  const usage: TaskUsage = {
    taskArn: task.assignment.taskArn,
    cpuUnits: cpuUnits ?? 0,
    memoryMiB: memoryMiB ?? 0,
  };
  for (const [field, label] of Object.entries(RATES) as [keyof typeof RATES, string][]) {
    const rate = sum(label);
    if (rate !== undefined) usage[field] = Math.round(rate * seconds);
  }
  return usage;
}
