import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureThreshold } from '../../src/ecs/model/services/circuit-breaker.ts';
import { maximumTotal, minimumHealthy, stepBudget } from '../../src/controllers/service/deployment-math.ts';
import { planRollingStep } from '../../src/controllers/service/rolling-plan.ts';
import { Phase, type ServiceTask } from '../../src/controllers/service/service-tasks.ts';

/** A task in a rolling update: deployment, phase and health are all the planner looks at. */
function task(
  id: number,
  deploymentId: string,
  phase: Phase,
  healthy = phase === Phase.Running,
): ServiceTask {
  return {
    key: `c/${id}`,
    version: 1,
    record: { task: {}, clusterName: 'c', assignmentVersion: 1, reportSeq: 0 },
    id: String(id).padStart(4, '0'),
    deploymentId,
    phase,
    healthy,
    unhealthy: false,
    instanceArn: `i-${id % 2}`,
    availabilityZone: `az-${id % 2}`,
    onDrainingInstance: false,
    createdAt: id,
    scaleInProtected: false,
  };
}

/**
 * Drives a rollout of `desired` tasks from deployment A to B: each round applies one plan, then the
 * world moves (stopping tasks stop, pending tasks become RUNNING and healthy). Returns per-round
 * [started, stopped] and checks min/max on every task count the world passes through.
 */
function rollout(desired: number, min: number, max: number): [number, number][] {
  let next = 0;
  let tasks: ServiceTask[] = Array.from({ length: desired }, () => task(next++, 'A', Phase.Running));
  const rounds: [number, number][] = [];
  for (let round = 0; round < 20; round++) {
    const plan = planRollingStep({
      desired,
      minimumHealthyPercent: min,
      maximumPercent: max,
      primaryId: 'B',
      tasks,
      launchesAllowed: true,
    });
    if (plan.start === 0 && plan.stops.length === 0 && tasks.every((t) => t.deploymentId === 'B')) break;
    rounds.push([plan.start, plan.stops.length]);
    const stopped = new Set(plan.stops.map((s) => s.task.id));
    tasks = tasks.map((t) => (stopped.has(t.id) ? { ...t, phase: Phase.Stopping, healthy: false } : t));
    for (let i = 0; i < plan.start; i++) tasks.push(task(next++, 'B', Phase.Pending));
    const holding = tasks.length;
    const healthy = tasks.filter((t) => t.healthy).length;
    assert.ok(holding <= maximumTotal(desired, max), `round ${round}: ${holding} tasks above max`);
    assert.ok(healthy >= minimumHealthy(desired, min), `round ${round}: ${healthy} healthy below min`);
    // The world moves: stopping tasks stop, new ones run and pass their health checks.
    tasks = tasks
      .filter((t) => t.phase !== Phase.Stopping)
      .map((t) => (t.phase === Phase.Pending ? { ...t, phase: Phase.Running, healthy: true } : t));
  }
  assert.ok(tasks.length === desired && tasks.every((t) => t.deploymentId === 'B' && t.healthy));
  return rounds;
}

describe('deployment arithmetic (ECS rounding)', () => {
  it('rounds minimumHealthyPercent up and maximumPercent down', () => {
    assert.equal(minimumHealthy(4, 50), 2);
    assert.equal(minimumHealthy(2, 75), 2);
    assert.equal(minimumHealthy(3, 50), 2);
    assert.equal(minimumHealthy(10, 0), 0);
    assert.equal(maximumTotal(4, 150), 6);
    assert.equal(maximumTotal(3, 150), 4);
    assert.equal(maximumTotal(4, 100), 4);
    assert.equal(maximumTotal(100, 200), 200);
    // desired x percent is an exact integer, so dividing by 100 never crosses an integer by accident.
    assert.equal(maximumTotal(7, 110), 7);
    assert.equal(minimumHealthy(10, 70), 7);
  });

  it('ECS example: 4 tasks, min 50% / max 100% stops two old tasks before starting two new ones', () => {
    const budget = stepBudget({
      desired: 4,
      minimumHealthyPercent: 50,
      maximumPercent: 100,
      keep: 0,
      total: 4,
      healthy: 4,
      inFlight: 0,
    });
    assert.deepEqual(budget, { start: 0, stopHealthy: 2, blocked: false });
    // stop 2, start 2 once they are gone, stop 2 more once the new ones are healthy, start the last 2.
    assert.deepEqual(rollout(4, 50, 100), [
      [0, 2],
      [2, 0],
      [0, 2],
      [2, 0],
    ]);
  });

  it('ECS example: 4 tasks, min 50% / max 150% starts two and stops two in the same step', () => {
    const budget = stepBudget({
      desired: 4,
      minimumHealthyPercent: 50,
      maximumPercent: 150,
      keep: 0,
      total: 4,
      healthy: 4,
      inFlight: 0,
    });
    assert.deepEqual(budget, { start: 2, stopHealthy: 2, blocked: false });
    assert.deepEqual(rollout(4, 50, 150), [
      [2, 2],
      [2, 2],
    ]);
  });

  it('min 100% / max 200% starts everything first and stops old tasks only as new ones are healthy', () => {
    assert.deepEqual(rollout(4, 100, 200), [
      [4, 0],
      [0, 4],
    ]);
  });

  it('min 100% / max 100% cannot move: the plan reports it blocked', () => {
    const tasks = [0, 1, 2, 3].map((i) => task(i, 'A', Phase.Running));
    const plan = planRollingStep({
      desired: 4,
      minimumHealthyPercent: 100,
      maximumPercent: 100,
      primaryId: 'B',
      tasks,
      launchesAllowed: true,
    });
    assert.deepEqual([plan.start, plan.stops.length, plan.blocked], [0, 0, true]);
  });

  it('scales in from the busiest zone and stops pending tasks before running ones', () => {
    const tasks = [
      { ...task(1, 'B', Phase.Running), availabilityZone: 'a', instanceArn: 'i1' },
      { ...task(2, 'B', Phase.Running), availabilityZone: 'a', instanceArn: 'i2' },
      { ...task(3, 'B', Phase.Running), availabilityZone: 'b', instanceArn: 'i3' },
      { ...task(4, 'B', Phase.Pending), availabilityZone: 'b', instanceArn: 'i3' },
    ];
    const plan = planRollingStep({
      desired: 2,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      primaryId: 'B',
      tasks,
      launchesAllowed: true,
    });
    assert.deepEqual(plan.stops.map((s) => s.task.id).sort(), ['0002', '0004']);
  });

  it('never scales in or replaces a task with scale-in protection, unless it fails health checks', () => {
    const guarded = (t: ServiceTask): ServiceTask => ({ ...t, scaleInProtected: true });
    const plan = (desired: number, primaryId: string, tasks: ServiceTask[]) =>
      planRollingStep({
        desired,
        minimumHealthyPercent: 0,
        maximumPercent: 200,
        primaryId,
        tasks,
        launchesAllowed: true,
      });
    const three = [
      guarded(task(1, 'B', Phase.Running)),
      task(2, 'B', Phase.Running),
      task(3, 'B', Phase.Running),
    ];
    assert.deepEqual(
      plan(1, 'B', three)
        .stops.map((s) => s.task.id)
        .sort(),
      ['0002', '0003'],
    );
    // Two protected, desired 1: only the unprotected one goes; the extra protected task stays.
    const two = [
      guarded(task(1, 'B', Phase.Running)),
      guarded(task(2, 'B', Phase.Running)),
      task(3, 'B', Phase.Running),
    ];
    assert.deepEqual(
      plan(1, 'B', two).stops.map((s) => s.task.id),
      ['0003'],
    );
    // A deployment replaces the old unprotected task but not the protected one.
    const old = plan(2, 'C', three);
    assert.equal(old.start, 1); // max 200% of 2: room for one more beside the three old ones
    assert.deepEqual(old.stops.map((s) => s.task.id).sort(), ['0002', '0003']);
    // Failing health checks still gets a protected task replaced.
    const sick = plan(3, 'B', [{ ...three[0], unhealthy: true, healthy: false }, three[1], three[2]]);
    assert.deepEqual(
      sick.stops.map((s) => s.task.id),
      ['0001'],
    );
  });

  it('computes the circuit breaker threshold: 0.5 x desired, between 3 and 200', () => {
    assert.deepEqual([1, 3, 7, 25, 400, 1000].map(failureThreshold), [3, 3, 4, 13, 200, 200]);
  });
});
