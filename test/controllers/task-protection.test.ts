import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  GetTaskProtectionCommand,
  UpdateServiceCommand,
  UpdateTaskProtectionCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { describe as describeService, registerTd, serviceTasks, simAgents, waitSteady } from './support.ts';

const CLUSTER = 'guarded';

describe('service controller and task scale-in protection', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  const tasksOf = (service: string) => serviceTasks(t.plane.store, CLUSTER, service);
  const protect = (task: string, protectionEnabled: boolean) =>
    t.ecs.send(new UpdateTaskProtectionCommand({ cluster: CLUSTER, tasks: [task], protectionEnabled }));

  before(async () => {
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 500 } } });
    sim = await simAgents(t.plane.endpoint, CLUSTER, 3);
    await registerTd(t.ecs, 'guard');
    await registerTd(t.ecs, 'guard');
  });
  after(async () => {
    await sim?.stop();
    await t?.stop();
  });

  it('scales in and deploys around a protected task, and replaces it once protection is off', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'app',
        taskDefinition: 'guard:1',
        desiredCount: 3,
      }),
    );
    await waitSteady(t.ecs, CLUSTER, 'app');
    const running = (await tasksOf('app')).filter((x) => x.task.lastStatus === 'RUNNING');
    assert.equal(running.length, 3);
    const guardedArn = running[1].task.taskArn ?? '';
    const out = await protect(guardedArn, true);
    assert.equal(out.protectedTasks?.[0].protectionEnabled, true);

    // Scale in: the two unprotected tasks stop, the protected one stays.
    await t.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'app', desiredCount: 1 }));
    const steady = await waitSteady(t.ecs, CLUSTER, 'app');
    assert.equal(steady.runningCount, 1);
    const after1 = await tasksOf('app');
    const live = after1.filter((x) => x.task.desiredStatus === 'RUNNING');
    assert.deepEqual(
      live.map((x) => x.task.taskArn),
      [guardedArn],
    );
    const stopped = after1.filter((x) => x.task.desiredStatus === 'STOPPED');
    assert.equal(stopped.length, 2);
    for (const x of stopped) assert.equal(x.task.stopCode, 'ServiceSchedulerInitiated');

    // A new deployment starts its task but leaves the protected old one running.
    await t.ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'app', taskDefinition: 'guard:2' }),
    );
    await waitFor('the new revision to run beside the protected task', async () => {
      const tasks = await tasksOf('app');
      const fresh = tasks.filter(
        (x) => x.task.taskDefinitionArn?.endsWith(':2') && x.task.lastStatus === 'RUNNING',
      );
      return fresh.length === 1 ? fresh : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_500)); // past uncheckedHealthyAfterMs: the old task would go now
    const guarded = (await tasksOf('app')).find((x) => x.task.taskArn === guardedArn);
    assert.equal(guarded?.task.desiredStatus, 'RUNNING');
    assert.equal((await describeService(t.ecs, CLUSTER, 'app')).deployments?.length, 2);
    const got = await t.ecs.send(new GetTaskProtectionCommand({ cluster: CLUSTER, tasks: [guardedArn] }));
    assert.equal(got.protectedTasks?.[0].protectionEnabled, true);

    // Protection off: the controller replaces it and the deployment completes.
    await protect(guardedArn, false);
    const done = await waitSteady(t.ecs, CLUSTER, 'app');
    assert.equal(done.runningCount, 1);
    const last = (await tasksOf('app')).find((x) => x.task.taskArn === guardedArn);
    assert.equal(last?.task.desiredStatus, 'STOPPED');
    assert.equal(last?.task.stopCode, 'ServiceSchedulerInitiated');
  });
});
