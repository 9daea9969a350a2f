/**
 * What one pass of the group controller does (pure): replace dead instances, launch up to the
 * desired capacity, choose the instances a scale-in removes.
 *
 * Scale-in never picks an instance protected from scale-in (AWS); when too few are unprotected the
 * group stays above its desired capacity until protection is lifted. Among the others, as AWS's
 * Default termination policy: the Availability Zone with the most instances first, then the
 * oldest instance (AWS's next criteria, launch template age and the billing hour, say nothing
 * locally). Worked example: zones a: [i-1 (old), i-2], b: [i-3], desired 3 -> 2: zone a has the
 * most, its oldest is i-1.
 */
import { countsTowardCapacity, type GroupRecord, type InstanceRecord } from './records.ts';

/** Instances launched per pass at most (the rest on the next pass). */
export const MAX_LAUNCHES_PER_PASS = 10;

export interface GroupPlan {
  /** Instances that died: mark Unhealthy and terminate (the group replaces them). */
  dead: InstanceRecord[];
  /** One Availability Zone per instance to launch. */
  launchIn: string[];
  /** Scale-in victims. */
  scaleIn: InstanceRecord[];
}

export function planGroup(
  group: GroupRecord,
  instances: readonly InstanceRecord[],
  alive: (i: InstanceRecord) => boolean,
): GroupPlan {
  const dead = instances.filter((i) => countsTowardCapacity(i) && !alive(i));
  const live = instances.filter((i) => countsTowardCapacity(i) && alive(i));
  const perZone = new Map<string, number>(group.availabilityZones.map((z) => [z, 0]));
  for (const i of live) perZone.set(i.availabilityZone, (perZone.get(i.availabilityZone) ?? 0) + 1);
  const launchIn: string[] = [];
  const missing = Math.min(MAX_LAUNCHES_PER_PASS, group.desiredCapacity - live.length);
  for (let n = 0; n < missing; n++) {
    // The group's zone with the fewest instances, first in the group's order on a tie.
    let best = group.availabilityZones[0];
    for (const z of group.availabilityZones) if ((perZone.get(z) ?? 0) < (perZone.get(best) ?? 0)) best = z;
    perZone.set(best, (perZone.get(best) ?? 0) + 1);
    launchIn.push(best);
  }
  const scaleIn: InstanceRecord[] = [];
  let excess = live.length - group.desiredCapacity;
  const candidates = live.filter((i) => !i.protectedFromScaleIn);
  while (excess > 0 && candidates.length > 0) {
    const zoneCount = (z: string) => candidates.filter((c) => c.availabilityZone === z).length;
    candidates.sort(
      (a, b) =>
        zoneCount(b.availabilityZone) - zoneCount(a.availabilityZone) ||
        a.launchedAt - b.launchedAt ||
        a.instanceId.localeCompare(b.instanceId),
    );
    const victim = candidates.shift();
    if (!victim) break;
    scaleIn.push(victim);
    excess--;
  }
  return { dead, launchIn, scaleIn };
}
