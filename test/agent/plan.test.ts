/** The task state machine's pure parts: plan, dependency gates, status derivation, health, reports. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerCondition, ContainerDefinition } from '@aws-sdk/client-ecs';
import { seededRng } from '../../src/core/clock.ts';
import { gateFor } from '../../src/agent/engine/dependencies.ts';
import { newTaskState } from '../../src/agent/engine/new-task.ts';
import { plan, TASK_STEP } from '../../src/agent/engine/plan.ts';
import { buildReport, reportChanged } from '../../src/agent/engine/report.ts';
import { applyChange, deriveTaskStatus, taskHealth } from '../../src/agent/engine/task-mutations.ts';
import type { ContainerKnown, TaskState } from '../../src/agent/engine/task-state.ts';
import { dependencyCycle } from '../../src/agent/engine/task-validation.ts';
import { assignment } from './docker-helpers.ts';

const clock = { now: () => 1_000_000 };

function task(
  containers: (Partial<ContainerDefinition> & { name: string })[],
  provisioned = true,
): TaskState {
  const t = newTaskState(assignment('unit', containers), seededRng(1), clock);
  if (provisioned) t.resources = { hostPorts: [], volumes: [] };
  return t;
}

function set(
  t: TaskState,
  name: string,
  known: ContainerKnown,
  extra: Partial<TaskState['containers'][number]> = {},
) {
  Object.assign(t.containers.find((c) => c.name === name)!, { known, ...extra });
}

describe('plan', () => {
  test('a new task provisions first, once', () => {
    const t = task([{ name: 'a' }], false);
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'provision' }]);
    assert.deepEqual(plan(t, new Set([TASK_STEP]), 0).actions, []);
  });

  test('each container pulls, creates, then starts', () => {
    const t = task([{ name: 'a' }]);
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'pull', container: 'a' }]);
    set(t, 'a', 'PULLED');
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'create', container: 'a' }]);
    set(t, 'a', 'CREATED');
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'start', container: 'a' }]);
    assert.deepEqual(plan(t, new Set(['a']), 0).actions, [], 'nothing while a step is in flight');
  });

  test('an essential container that stopped stops the task; which stop code depends on whether it ran', () => {
    const ran = task([{ name: 'a' }, { name: 'b', essential: false }]);
    set(ran, 'a', 'STOPPED', { startedAt: 5, exitCode: 1 });
    assert.deepEqual(plan(ran, new Set(), 0).changes, [
      {
        type: 'stop-task',
        stopCode: 'EssentialContainerExited',
        reason: 'Essential container in task exited',
      },
    ]);
    const never = task([{ name: 'a' }]);
    set(never, 'a', 'STOPPED', { reason: 'CannotPullContainerError: nope' });
    assert.deepEqual(plan(never, new Set(), 0).changes, [
      { type: 'stop-task', stopCode: 'TaskFailedToStart', reason: 'CannotPullContainerError: nope' },
    ]);
  });

  test('a non-essential container stopping does not stop the task', () => {
    const t = task([{ name: 'a' }, { name: 'b', essential: false }]);
    set(t, 'a', 'RUNNING');
    set(t, 'b', 'STOPPED', { startedAt: 1, exitCode: 0 });
    assert.deepEqual(plan(t, new Set(), 0), { changes: [], actions: [] });
  });

  test('shutdown runs in reverse dependency order', () => {
    const t = task([
      { name: 'db' },
      { name: 'app', dependsOn: [{ containerName: 'db', condition: 'START' }] },
    ]);
    set(t, 'db', 'RUNNING');
    set(t, 'app', 'RUNNING');
    applyChange(t, { type: 'stop-task', stopCode: 'UserInitiated', reason: 'bye' }, 0);
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'stop', container: 'app' }]);
    set(t, 'app', 'STOPPED');
    assert.deepEqual(plan(t, new Set(), 0).actions, [{ type: 'stop', container: 'db' }]);
    set(t, 'db', 'STOPPED');
    assert.deepEqual(plan(t, new Set(), 0).changes, [{ type: 'task-stopped' }]);
  });

  test('containers that never started are stopped without a Docker call', () => {
    const t = task([{ name: 'a' }, { name: 'b' }]);
    set(t, 'a', 'CREATED');
    applyChange(t, { type: 'stop-task', stopCode: 'UserInitiated', reason: 'x' }, 0);
    assert.deepEqual(plan(t, new Set(), 0).changes, [
      { type: 'container-stopped', container: 'a' },
      { type: 'container-stopped', container: 'b' },
    ]);
  });
});

describe('dependency gates', () => {
  const deps = (condition: ContainerCondition): (Partial<ContainerDefinition> & { name: string })[] => [
    { name: 'dep', essential: false, startTimeout: 10 },
    { name: 'app', dependsOn: [{ containerName: 'dep', condition }] },
  ];

  test('START: created to pull and create, started to start', () => {
    const t = task(deps('START'));
    const app = t.containers[1];
    assert.equal(gateFor(t, app, 'pull', 0).type, 'blocked');
    set(t, 'dep', 'CREATED');
    assert.equal(gateFor(t, app, 'create', 0).type, 'open');
    assert.equal(gateFor(t, app, 'start', 0).type, 'blocked');
    set(t, 'dep', 'RUNNING', { startedAt: 0 });
    assert.equal(gateFor(t, app, 'start', 0).type, 'open');
  });

  test('SUCCESS, COMPLETE and HEALTHY', () => {
    const success = task(deps('SUCCESS'));
    set(success, 'dep', 'STOPPED', { startedAt: 0, exitCode: 0 });
    assert.equal(gateFor(success, success.containers[1], 'pull', 0).type, 'open');
    set(success, 'dep', 'STOPPED', { exitCode: 2 });
    const failed = gateFor(success, success.containers[1], 'pull', 0);
    assert.equal(failed.type, 'terminal');

    const complete = task(deps('COMPLETE'));
    set(complete, 'dep', 'STOPPED', { startedAt: 0, exitCode: 2 });
    assert.equal(gateFor(complete, complete.containers[1], 'pull', 0).type, 'open');

    const healthy = task(deps('HEALTHY'));
    set(healthy, 'dep', 'RUNNING', { startedAt: 0, health: 'UNKNOWN' });
    assert.deepEqual(gateFor(healthy, healthy.containers[1], 'pull', 5000), {
      type: 'blocked',
      wakeAt: 10_000,
    });
    set(healthy, 'dep', 'RUNNING', { health: 'HEALTHY' });
    assert.equal(gateFor(healthy, healthy.containers[1], 'pull', 5000).type, 'open');
  });

  test("startTimeout is the dependency's, counted from its start", () => {
    const t = task(deps('HEALTHY'));
    set(t, 'dep', 'RUNNING', { startedAt: 1000 });
    const gate = gateFor(t, t.containers[1], 'pull', 11_000);
    assert.equal(gate.type, 'terminal');
    assert.match(gate.type === 'terminal' ? gate.reason : '', /\[dep\] for target \[app\] has timed out/);
  });

  test('a dependency that can never start fails its dependents', () => {
    const t = task(deps('START'));
    set(t, 'dep', 'STOPPED', { reason: 'CannotPullContainerError: x' });
    const gate = gateFor(t, t.containers[1], 'pull', 0);
    assert.match(gate.type === 'terminal' ? gate.reason : '', /because dependency will never start/);
  });

  test('dependsOn cycles are found', () => {
    const a = assignment('cycle', [
      { name: 'a', dependsOn: [{ containerName: 'b', condition: 'START' }] },
      { name: 'b', dependsOn: [{ containerName: 'a', condition: 'START' }] },
    ]);
    assert.deepEqual(dependencyCycle(a), ['a', 'b', 'a']);
  });
});

describe('task status, health and reports', () => {
  test('status follows the least advanced live container and only moves forward', () => {
    const t = task([{ name: 'a' }, { name: 'b' }], false);
    deriveTaskStatus(t, 0);
    assert.equal(t.known, 'PROVISIONING');
    t.resources = { hostPorts: [], volumes: [] };
    set(t, 'a', 'RUNNING');
    deriveTaskStatus(t, 1);
    assert.equal(t.known, 'PENDING');
    set(t, 'b', 'RUNNING');
    deriveTaskStatus(t, 2);
    assert.equal(t.known, 'RUNNING');
    assert.equal(t.startedAt, 2);
    set(t, 'b', 'CREATED');
    deriveTaskStatus(t, 3);
    assert.equal(t.known, 'RUNNING', 'never backwards');
  });

  test('task health: UNHEALTHY if any essential is, HEALTHY if all checked essentials are', () => {
    const check = { command: ['CMD', 'true'] };
    const t = task([{ name: 'a', healthCheck: check }, { name: 'b', healthCheck: check }, { name: 'c' }]);
    assert.equal(taskHealth(t), 'UNKNOWN');
    set(t, 'a', 'RUNNING', { health: 'HEALTHY' });
    assert.equal(taskHealth(t), 'UNKNOWN');
    set(t, 'b', 'RUNNING', { health: 'HEALTHY' });
    assert.equal(taskHealth(t), 'HEALTHY');
    set(t, 'b', 'RUNNING', { health: 'UNHEALTHY' });
    assert.equal(taskHealth(t), 'UNHEALTHY');
  });

  test('a report is new only when something in it changed', () => {
    const t = task([{ name: 'a' }]);
    const first = { ...buildReport(t), seq: 1 };
    assert.equal(reportChanged(first, buildReport(t)), false);
    set(t, 'a', 'RUNNING', { runtimeId: 'abc' });
    assert.equal(reportChanged(first, buildReport(t)), true);
    // A report read back from disk (JSON drops undefined members) compares equal to a rebuilt one.
    const u = task([{ name: 'a' }]);
    const saved = JSON.parse(JSON.stringify({ ...buildReport(u), seq: 7 }));
    assert.equal(reportChanged(saved, buildReport(u)), false);
  });

  test('stop reasons appear once the task is stopping', () => {
    const t = task([{ name: 'a' }]);
    set(t, 'a', 'RUNNING');
    applyChange(t, { type: 'stop-task', stopCode: 'UserInitiated', reason: 'maintenance' }, 5);
    deriveTaskStatus(t, 5);
    const r = buildReport(t);
    assert.equal(r.lastStatus, 'STOPPING');
    assert.equal(r.stopCode, 'UserInitiated');
    assert.equal(r.stoppingAt, 5);
    applyChange(t, { type: 'stop-task', stopCode: 'EssentialContainerExited', reason: 'later' }, 6);
    assert.equal(t.stopCode, 'UserInitiated', 'the first stop cause wins');
  });
});
