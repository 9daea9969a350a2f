import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  DeregisterContainerInstanceCommand,
  StartTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import type { TaskRecord } from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import {
  describe as describeService,
  registerTd,
  sampler,
  serviceTasks,
  simAgents,
  waitSteady,
} from './support.ts';

describe('daemon services and draining instances (simulated agents)', () => {
  let t: TestPlane;
  const clusters: SimulatedCluster[] = [];
  const live = async (cluster: string, service: string) =>
    (await serviceTasks(t.plane.store, cluster, service)).filter((x) => x.task.desiredStatus === 'RUNNING');
  const instancesOf = (x: { task: { containerInstanceArn?: string } }[]) =>
    x.map((y) => y.task.containerInstanceArn ?? '').sort();
  const drain = (cluster: string, arn: string) =>
    t.ecs.send(
      new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [arn], status: 'DRAINING' }),
    );

  before(async () => {
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 300 } } });
    clusters.push(await simAgents(t.plane.endpoint, 'dmn', 3), await simAgents(t.plane.endpoint, 'drn', 3));
    await registerTd(t.ecs, 'agent');
    await registerTd(t.ecs, 'slow', { labels: { 'start-ms': '60000' } });
  });
  after(async () => {
    for (const c of clusters) await c.stop();
    await t?.stop();
  });

  it('runs one task on every instance, and on new instances as they join', async () => {
    const { service } = await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'dmn',
        serviceName: 'd',
        taskDefinition: 'agent',
        schedulingStrategy: 'DAEMON',
      }),
    );
    assert.equal(service?.deploymentConfiguration?.maximumPercent, 100);
    const steady = await waitSteady(t.ecs, 'dmn', 'd');
    assert.equal(steady.desiredCount, 3);
    const arns = clusters[0].agents.map((a) => a.agent.containerInstanceArn).sort();
    assert.deepEqual(instancesOf(await live('dmn', 'd')), arns);
    clusters.push(await simAgents(t.plane.endpoint, 'dmn', 1));
    const joined = clusters.at(-1)!.agents[0].agent.containerInstanceArn;
    await waitFor('a task on the new instance', async () => {
      const tasks = await live('dmn', 'd');
      return tasks.some((x) => x.task.containerInstanceArn === joined) ? tasks : undefined;
    });
    assert.equal((await waitSteady(t.ecs, 'dmn', 'd')).desiredCount, 4);
  });

  it('follows its placement constraints', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'dmn',
        serviceName: 'zone-a',
        taskDefinition: 'agent',
        schedulingStrategy: 'DAEMON',
        placementConstraints: [
          { type: 'memberOf', expression: 'attribute:ecs.availability-zone == us-east-1a' },
        ],
      }),
    );
    const steady = await waitSteady(t.ecs, 'dmn', 'zone-a');
    // Instances 0 and 3 of the first group, and the joined instance 0 of the second, are in zone a.
    assert.equal(steady.desiredCount, 2);
    const zones = (await live('dmn', 'zone-a')).map((x) => x.task.availabilityZone);
    assert.deepEqual(zones, ['us-east-1a', 'us-east-1a']);
  });

  it('takes its task off a draining or deregistered instance', async () => {
    const [first, second] = clusters[0].agents.map((a) => a.agent.containerInstanceArn);
    await drain('dmn', first);
    await waitFor('the daemon to leave the draining instance', async () => {
      const tasks = await live('dmn', 'd');
      return tasks.length === 3 && !tasks.some((x) => x.task.containerInstanceArn === first)
        ? tasks
        : undefined;
    });
    await t.ecs.send(
      new DeregisterContainerInstanceCommand({ cluster: 'dmn', containerInstance: second, force: true }),
    );
    const steady = await waitFor('the daemon to leave the deregistered instance', async () => {
      const s = await describeService(t.ecs, 'dmn', 'd');
      return s.desiredCount === 2 && s.runningCount === 2 ? s : undefined;
    });
    assert.equal(steady.deployments?.length, 1);
  });

  it('replaces service tasks off a draining instance within min/max, leaving standalone tasks alone', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'drn',
        serviceName: 'web',
        taskDefinition: 'agent',
        desiredCount: 3,
      }),
    );
    await waitSteady(t.ecs, 'drn', 'web');
    const before = await live('drn', 'web');
    // Default spread: one task per instance (three zones).
    assert.equal(new Set(instancesOf(before)).size, 3);
    const target = before[0].task.containerInstanceArn ?? '';
    const standalone = await t.ecs.send(
      new StartTaskCommand({ cluster: 'drn', taskDefinition: 'agent', containerInstances: [target] }),
    );
    const pending = await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'drn',
        serviceName: 'slow',
        taskDefinition: 'slow',
        desiredCount: 1,
      }),
    );
    assert.ok(pending.service);
    const slow = await waitFor('the slow task', async () => {
      const x = await live('drn', 'slow');
      return x.length === 1 ? x[0] : undefined;
    });
    const watch = sampler(() => serviceTasks(t.plane.store, 'drn', 'web'), false);
    await drain('drn', slow.task.containerInstanceArn ?? '');
    if (slow.task.containerInstanceArn !== target) await drain('drn', target);
    const moved = await waitFor('the service to leave the draining instance', async () => {
      const tasks = await live('drn', 'web');
      const s = await describeService(t.ecs, 'drn', 'web');
      return tasks.length === 3 &&
        !tasks.some((x) => x.task.containerInstanceArn === target) &&
        s.runningCount === 3
        ? tasks
        : undefined;
    });
    const seen = await watch.stop();
    assert.ok(seen.maxHolding <= 6, `max 200% broken: ${seen.maxHolding}`);
    assert.ok(seen.minHealthy >= 3, `min 100% broken: ${seen.minHealthy}`);
    assert.equal(moved.length, 3);
    const [standaloneTask] = await serviceTasksByArn(standalone.tasks?.[0].taskArn ?? '');
    assert.equal(standaloneTask.task.desiredStatus, 'RUNNING');
    // The pending task on a draining instance stopped at once (its replacement cannot start in 60 s).
    const slowNow = (await serviceTasks(t.plane.store, 'drn', 'slow')).find(
      (x) => x.task.taskArn === slow.task.taskArn,
    );
    assert.equal(slowNow?.task.desiredStatus, 'STOPPED');
  });

  async function serviceTasksByArn(arn: string): Promise<TaskRecord[]> {
    const all = await t.plane.store.list<TaskRecord>(Kind.Task);
    return all.map((r) => r.value).filter((x) => x.task.taskArn === arn);
  }
});
