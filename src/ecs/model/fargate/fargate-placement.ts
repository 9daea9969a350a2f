/**
 * Where Fargate tasks go, as Fargate places them: spread across the availability zones of the
 * subnets given (the zone with the fewest of the group's tasks first), then, on this side of the
 * curtain, the host with the most free memory that fits the task. Pure; no strategies and no
 * constraints (ECS refuses them for Fargate).
 */
import type { FargateHost } from './fargate-hosts.ts';

/** ECS's RunTask failure reason when Fargate has no capacity for a task. */
export const FARGATE_CAPACITY_UNAVAILABLE =
  'Capacity is unavailable at this time. Please try again later or in a different availability zone';

export interface SubnetChoice {
  subnetId: string;
  availabilityZone: string;
}

export type FargateSlot =
  | { type: 'placed'; host: FargateHost; subnet: SubnetChoice }
  | { type: 'unplaced'; reason: string; detail: string };

/**
 * One slot per task, in order. `zoneCounts` holds the group's running tasks per zone and is
 * updated as tasks are placed; `hosts` usage too (callers pass fresh copies).
 */
export function placeFargate(
  hosts: FargateHost[],
  subnets: readonly SubnetChoice[],
  zoneCounts: Map<string, number>,
  tasks: readonly { cpu: number; memory: number }[],
  region: string,
): FargateSlot[] {
  return tasks.map((t) => {
    const host = bestHost(hosts, t);
    if (!host)
      return { type: 'unplaced', reason: FARGATE_CAPACITY_UNAVAILABLE, detail: noHost(hosts, t, region) };
    const subnet = leastUsedZone(subnets, zoneCounts);
    host.usedCpu += t.cpu;
    host.usedMemory += t.memory;
    host.tasks++;
    zoneCounts.set(subnet.availabilityZone, (zoneCounts.get(subnet.availabilityZone) ?? 0) + 1);
    return { type: 'placed', host, subnet };
  });
}

function bestHost(hosts: FargateHost[], t: { cpu: number; memory: number }): FargateHost | undefined {
  let best: FargateHost | undefined;
  for (const h of hosts) {
    if (h.cpu - h.usedCpu < t.cpu || h.memory - h.usedMemory < t.memory) continue;
    const free = h.memory - h.usedMemory;
    const bestFree = best ? best.memory - best.usedMemory : -1;
    if (
      free > bestFree ||
      (free === bestFree && best && h.host.containerInstanceArn < best.host.containerInstanceArn)
    )
      best = h;
  }
  return best;
}

/** The first subnet (in the order given) of the zone with the fewest of the group's tasks. */
function leastUsedZone(subnets: readonly SubnetChoice[], zoneCounts: Map<string, number>): SubnetChoice {
  let best = subnets[0];
  for (const s of subnets) {
    if ((zoneCounts.get(s.availabilityZone) ?? 0) < (zoneCounts.get(best.availabilityZone) ?? 0)) best = s;
  }
  return best;
}

/** The one-line detail of an unplaced task: which budget ran out, or that no agent offers any. */
function noHost(hosts: readonly FargateHost[], t: { cpu: number; memory: number }, region: string): string {
  if (hosts.length === 0) {
    return `No Longshore agent is connected in ${region}, so there is no Fargate capacity: start one (longshore up, or longshore agent --region ${region}).`;
  }
  const most = hosts.reduce((a, h) => (h.memory - h.usedMemory > a.memory - a.usedMemory ? h : a));
  return `The task needs ${t.cpu} CPU units and ${t.memory} MiB; the roomiest of ${hosts.length} Fargate host(s) has ${most.cpu - most.usedCpu} CPU units and ${most.memory - most.usedMemory} MiB free.`;
}
