/** Deployment alarms in the service controller's pure steps: which alarms fail a deployment, and the bake. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bakeTimeMs,
  type DeploymentAlarm,
  firingAlarms,
} from '../../src/controllers/service/deployment-alarms.ts';
import { rollbackStep } from '../../src/controllers/service/rollback-step.ts';
import { rolloutStatus } from '../../src/controllers/service/rollout-status.ts';
import { Phase, type ServiceTask } from '../../src/controllers/service/service-tasks.ts';
import type { WireDeployment } from '../../src/ecs/model/services/deployments.ts';

const T0 = 1_800_000_000_000;
const alarm = (name: string, state: string, transitionedAt: number, windowMs = 60_000): DeploymentAlarm => ({
  name,
  state,
  transitionedAt,
  windowMs,
});

const deployments = (): WireDeployment[] => [
  {
    id: 'ecs-svc/2',
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    taskDefinition: 'td:2',
    desiredCount: 2,
    createdAt: T0 / 1000,
  },
  {
    id: 'ecs-svc/1',
    status: 'ACTIVE',
    rolloutState: 'COMPLETED',
    taskDefinition: 'td:1',
    desiredCount: 2,
    createdAt: T0 / 1000 - 600,
  },
];

function task(id: string, deploymentId: string, phase: Phase = Phase.Running): ServiceTask {
  return {
    key: `c/${id}`,
    version: 1,
    record: {} as ServiceTask['record'],
    id,
    deploymentId,
    phase,
    healthy: phase === Phase.Running,
    unhealthy: false,
    instanceArn: 'i',
    availabilityZone: 'a',
    onDrainingInstance: false,
    createdAt: T0 + 1000,
  } as ServiceTask;
}

describe('deployment alarms', () => {
  it('count an alarm that went into ALARM after the rollout began, not one already in ALARM', () => {
    const alarms = [
      alarm('before', 'ALARM', T0 - 1),
      alarm('after', 'ALARM', T0 + 5),
      alarm('ok', 'OK', T0 + 9),
    ];
    assert.deepEqual(firingAlarms(alarms, T0), ['after']);
    assert.deepEqual(firingAlarms([{ name: 'missing', windowMs: 0 }], T0), []);
  });

  it('bake for bakeTimeInMinutes, else the longest alarm window', () => {
    assert.equal(bakeTimeMs(2, [alarm('a', 'OK', 0, 600_000)]), 120_000);
    assert.equal(bakeTimeMs(undefined, [alarm('a', 'OK', 0, 60_000), alarm('b', 'OK', 0, 300_000)]), 300_000);
    assert.equal(bakeTimeMs(undefined, []), 0);
  });

  it('fail the deployment and roll back to the last completed one when rollback is on', () => {
    const out = rollbackStep({
      service: 'web',
      deployments: deployments(),
      tasks: [],
      scheduler: {},
      breaker: { enable: false, rollback: false },
      alarms: { rollback: true, states: [alarm('errors', 'ALARM', T0 + 30_000)] },
      now: T0 + 31_000,
    });
    const failed = out.deployments.find((d) => d.id === 'ecs-svc/2');
    assert.equal(failed?.rolloutState, 'FAILED');
    assert.equal(failed?.rolloutStateReason, 'ECS deployment ecs-svc/2 failed: alarm(s) detected: errors.');
    assert.equal(out.rolledBackTo?.id, 'ecs-svc/1');
    assert.deepEqual(out.events, [
      '(service web) (deployment ecs-svc/2) deployment failed: alarm(s) detected: errors.',
      '(service web) rolling back to deployment ecs-svc/1.',
    ]);
  });

  it('without rollback, fail the deployment and keep it PRIMARY', () => {
    const out = rollbackStep({
      service: 'web',
      deployments: deployments(),
      tasks: [],
      scheduler: {},
      breaker: { enable: false, rollback: false },
      alarms: { rollback: false, states: [alarm('errors', 'ALARM', T0 + 30_000)] },
      now: T0 + 31_000,
    });
    assert.equal(out.rolledBackTo, undefined);
    const failed = out.deployments.find((d) => d.id === 'ecs-svc/2');
    assert.equal(failed?.status, 'PRIMARY');
    assert.equal(failed?.rolloutState, 'FAILED');
  });

  it('leave the deployment alone while its alarms are quiet', () => {
    const out = rollbackStep({
      service: 'web',
      deployments: deployments(),
      tasks: [],
      scheduler: {},
      breaker: { enable: false, rollback: false },
      alarms: { rollback: true, states: [alarm('errors', 'OK', T0 + 30_000), alarm('old', 'ALARM', T0 - 5)] },
      now: T0 + 31_000,
    });
    assert.equal(out.deployments.find((d) => d.id === 'ecs-svc/2')?.rolloutState, 'IN_PROGRESS');
  });

  it('keep a steady deployment IN_PROGRESS for the bake, then complete it', () => {
    const steadyTasks = [task('a', 'ecs-svc/2'), task('b', 'ecs-svc/2')];
    const only = [deployments()[0]];
    const baking = rolloutStatus({
      service: 'web',
      deployments: only,
      tasks: steadyTasks,
      desired: 2,
      bake: { ms: 60_000 },
      now: T0 + 10_000,
    });
    assert.equal(baking.steady, true);
    assert.deepEqual(baking.baking, { since: T0 + 10_000, leftMs: 60_000 });
    assert.equal(baking.deployments[0].rolloutState, 'IN_PROGRESS');
    assert.deepEqual(baking.events, []);
    const later = rolloutStatus({
      service: 'web',
      deployments: only,
      tasks: steadyTasks,
      desired: 2,
      bake: { ms: 60_000, steadySince: T0 + 10_000 },
      now: T0 + 70_000,
    });
    assert.equal(later.baking, undefined);
    assert.equal(later.deployments[0].rolloutState, 'COMPLETED');
    assert.deepEqual(later.events, [
      '(service web) (deployment ecs-svc/2) deployment completed.',
      '(service web) has reached a steady state.',
    ]);
  });
});
