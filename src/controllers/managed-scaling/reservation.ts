/**
 * ECS managed scaling's arithmetic (pure).
 *
 * CapacityProviderReservation = M / N x 100, where N is the group's instances (launching or in
 * service) and M the instances the provider's tasks need: when tasks wait in PROVISIONING, N plus
 * the new instances they need (first-fit into the group's instance shape, after the instances still
 * coming up); otherwise the instances running at least one task. ECS's edge cases: N = 0 and M > 0
 * gives 200, N = 0 and M = 0 gives 100.
 *
 * Worked example: 2 instances of 2048 CPU / 4096 MiB, both running tasks, 3 tasks of 1024 CPU /
 * 1024 MiB waiting: two fit on one new instance, the third needs another: M = 4, N = 2, 200%; with
 * targetCapacity 100 the group goes to ceil(4 x 100 / 100) = 4.
 */
import { scaleOutCapacity } from '../../application-autoscaling/model/target-tracking.ts';

export interface Shape {
  cpu: number;
  memory: number;
}

export interface ReservationInput {
  /** Instances launching or in service. */
  instances: number;
  /** Of those, instances running at least one task. */
  busy: number;
  /** Of those, instances whose agent has not registered yet (tasks will land there first). */
  unregistered: number;
  /** What each waiting task needs. */
  provisioning: readonly Shape[];
  /** What one instance of the group offers. */
  shape: Shape;
}

export function reservation(r: ReservationInput): { m: number; n: number; metric: number } {
  const n = r.instances;
  let m = r.busy;
  if (r.provisioning.length > 0) {
    // Bins: the unregistered instances first (already paid for), then new ones.
    const bins: Shape[] = Array.from({ length: r.unregistered }, () => ({ ...r.shape }));
    const preexisting = bins.length;
    for (const t of r.provisioning) {
      let bin = bins.find((b) => b.cpu >= t.cpu && b.memory >= t.memory);
      if (!bin) {
        // A task bigger than an instance can never be placed; it does not grow the group.
        if (t.cpu > r.shape.cpu || t.memory > r.shape.memory) continue;
        bin = { ...r.shape };
        bins.push(bin);
      }
      bin.cpu -= t.cpu;
      bin.memory -= t.memory;
    }
    m = n + (bins.length - preexisting);
  }
  if (n === 0) return { m, n, metric: m > 0 ? 200 : 100 };
  return { m, n, metric: (m / n) * 100 };
}

export interface ScalingSettings {
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  minSize: number;
  maxSize: number;
}

/**
 * The desired capacity target tracking asks for, within the step sizes and the group's range:
 * out at once (one datapoint above the target), in only after `lowStreak` datapoints below it.
 * Returns the current capacity when nothing should change.
 */
export function desiredCapacity(
  current: number,
  r: { m: number; n: number; metric: number },
  s: ScalingSettings,
  low: { streak: number; needed: number },
): number {
  const proportional = Math.ceil((r.m * 100) / s.targetCapacity - 1e-9);
  if (r.metric > s.targetCapacity) {
    const wanted = Math.max(scaleOutCapacity(r.n, r.metric, s.targetCapacity), proportional);
    if (wanted <= current) return current;
    const step = Math.min(s.maximumScalingStepSize, Math.max(s.minimumScalingStepSize, wanted - current));
    return Math.min(s.maxSize, current + step);
  }
  if (r.metric < s.targetCapacity && low.streak >= low.needed && proportional < current) {
    const step = Math.min(s.maximumScalingStepSize, current - proportional);
    return Math.max(s.minSize, current - step);
  }
  return current;
}
