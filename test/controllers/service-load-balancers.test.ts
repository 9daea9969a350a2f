/**
 * ECS services with target groups, on simulated agents: CreateService checks the group (exists,
 * used by a load balancer, target type for the network mode); RUNNING tasks are registered by
 * instance id and dynamic host port; a deployment is steady only once targets are healthy; a target
 * its load balancer finds unhealthy gets its task replaced (ECS's event and stoppedReason); a task
 * the service stops is DEACTIVATING and keeps running while its target drains, and stops once the
 * target is gone. Target health is fed as the data plane reports it (`recordTargetHealth`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import type { TaskRecord } from '../../src/ecs/model/records.ts';
import { forgetDrainedTarget, recordTargetHealth } from '../../src/elbv2/model/index.ts';
import { Kind } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { defaultVpcLayout } from '../support/ec2-client.ts';
import { describe as describeService, simAgents } from './support.ts';

const CLUSTER = 'lb';

describe('services with load balancers', () => {
  let t: TestPlane;
  let agents: SimulatedCluster;
  let elb: ElasticLoadBalancingV2Client;
  let tgArn = '';
  let ipGroupArn = '';
  let lonelyArn = '';
  let family = '';

  before(async () => {
    t = await startTestPlane();
    // Target health is fed by hand here (the simulated tasks serve nothing a health check could reach).
    await t.plane.loadBalancers.close();
    agents = await simAgents(t.plane.endpoint, CLUSTER, 2);
    elb = new ElasticLoadBalancingV2Client({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const { vpcId, subnetIds } = await defaultVpcLayout(t.plane.endpoint);
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnetIds.slice(0, 2) }));
    const group = (name: string, type: 'instance' | 'ip') =>
      elb.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: 'HTTP',
          Port: 80,
          VpcId: vpcId,
          TargetType: type,
        }),
      );
    tgArn = (await group('web', 'instance')).TargetGroups?.[0].TargetGroupArn ?? '';
    ipGroupArn = (await group('web-ip', 'ip')).TargetGroups?.[0].TargetGroupArn ?? '';
    lonelyArn = (await group('lonely', 'instance')).TargetGroups?.[0].TargetGroupArn ?? '';
    for (const [port, arn] of [
      [80, tgArn],
      [8080, ipGroupArn],
    ] as const) {
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancers?.[0].LoadBalancerArn,
          Protocol: 'HTTP',
          Port: port,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }],
        }),
      );
    }
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          {
            name: 'web',
            image: 'longshore-test/web:latest',
            memory: 64,
            essential: true,
            portMappings: [{ containerPort: 80, hostPort: 0 }],
          },
        ],
      }),
    );
    family = td.taskDefinition?.taskDefinitionArn ?? '';
  });

  after(async () => {
    elb?.destroy();
    await agents?.stop();
    await t?.stop();
  });

  const create = (serviceName: string, targetGroupArn: string, desiredCount = 2) =>
    t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName,
        taskDefinition: family,
        desiredCount,
        loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 80 }],
        healthCheckGracePeriodSeconds: 0,
      }),
    );

  it('refuses a group no load balancer uses, and one of the wrong target type, with ECS texts', async () => {
    await assert.rejects(create('lonely', lonelyArn), {
      name: 'InvalidParameterException',
      message: `The target group with targetGroupArn ${lonelyArn} does not have an associated load balancer.`,
    });
    await assert.rejects(create('wrong-type', ipGroupArn), {
      name: 'InvalidParameterException',
      message: `The provided target group ${ipGroupArn} has target type ip, which is incompatible with the bridge network mode specified in the task definition.`,
    });
  });

  const targets = async () =>
    (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions ??
    [];
  const store = () => t.plane.regions.context('us-east-1').store;
  const report = (state: 'healthy' | 'unhealthy', ids: { Id?: string; Port?: number }[]) =>
    recordTargetHealth(
      store(),
      tgArn,
      ids.map((d) => ({
        targetGroupArn: tgArn,
        key: `${d.Id}:${d.Port}`,
        state,
        ...(state === 'unhealthy'
          ? {
              reason: 'Target.ResponseCodeMismatch' as const,
              description: 'Health checks failed with these codes: [500]',
            }
          : {}),
      })),
      Date.now(),
    );

  it('registers each RUNNING task by instance id and host port; steady only once the targets are healthy', async () => {
    await create('web', tgArn);
    const registered = await waitFor('two registered targets', async () => {
      const list = await targets();
      return list.length === 2 ? list : undefined;
    });
    for (const d of registered) {
      assert.match(d.Target?.Id ?? '', /^i-[0-9a-f]+$/);
      assert.ok((d.Target?.Port ?? 0) >= 32768, `a dynamic host port, got ${d.Target?.Port}`);
      assert.equal(d.TargetHealth?.State, 'initial');
    }
    const s1 = await describeService(t.ecs, CLUSTER, 'web');
    assert.equal(s1.deployments?.[0].rolloutState, 'IN_PROGRESS', 'not steady while targets are initial');
    assert.ok(
      s1.events?.some((e) => e.message === `(service web) registered 1 targets in (target-group ${tgArn})`),
    );
    await report(
      'healthy',
      registered.map((d) => d.Target ?? {}),
    );
    await waitFor('the deployment to complete', async () => {
      const s = await describeService(t.ecs, CLUSTER, 'web');
      return s.deployments?.[0].rolloutState === 'COMPLETED' ? s : undefined;
    });
  });

  it('replaces a task whose target fails its health checks, with ECS event and stoppedReason', async () => {
    const [sick] = await targets();
    await report('unhealthy', [sick.Target ?? {}]);
    const stopped = await waitFor('the unhealthy task to be stopped', async () => {
      const list = await t.ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }));
      if (!list.taskArns?.length) return undefined;
      const got = await t.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: list.taskArns }));
      return got.tasks?.find((x) => x.stoppedReason?.startsWith('Task failed ELB health checks'));
    });
    assert.equal(stopped.stoppedReason, `Task failed ELB health checks in (target-group ${tgArn})`);
    const s = await describeService(t.ecs, CLUSTER, 'web');
    const id = stopped.taskArn?.split('/').pop();
    assert.ok(
      s.events?.some(
        (e) =>
          e.message ===
          `(service web) (task ${id}) (instance ${sick.Target?.Id}) (port ${sick.Target?.Port}) is unhealthy in (target-group ${tgArn}) due to (reason Health checks failed with these codes: [500])`,
      ),
      JSON.stringify(s.events?.slice(0, 6).map((e) => e.message)),
    );
    // Its target drains like any other (no connection left: the data plane says so at once), then it stops.
    assert.equal(stopped.lastStatus, 'DEACTIVATING');
    assert.equal(await forgetDrainedTarget(store(), tgArn, `${sick.Target?.Id}:${sick.Target?.Port}`), true);
    await waitFor('the unhealthy task to stop', async () => {
      const got = await t.ecs.send(
        new DescribeTasksCommand({ cluster: CLUSTER, tasks: [stopped.taskArn ?? ''] }),
      );
      return got.tasks?.[0].lastStatus === 'STOPPED' ? true : undefined;
    });
    // A replacement registers; its target healthy again, the service settles at two.
    const replacement = await waitFor('a replacement target', async () => {
      const list = await targets();
      return list.find((d) => d.TargetHealth?.State === 'initial');
    });
    await report('healthy', [replacement.Target ?? {}]);
  });

  it('a task the service stops stays DEACTIVATING while its target drains, then stops', async () => {
    await waitFor('two healthy targets', async () => {
      const list = await targets();
      return list.filter((d) => d.TargetHealth?.State === 'healthy').length === 2 ? true : undefined;
    });
    await t.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 1 }));
    const draining = await waitFor('a draining target', async () =>
      (await targets()).find((d) => d.TargetHealth?.State === 'draining'),
    );
    assert.equal(draining.TargetHealth?.Reason, 'Target.DeregistrationInProgress');
    const deactivating = await waitFor('a DEACTIVATING task', async () => {
      const records = await store().list<TaskRecord>(Kind.Task);
      return records.find((r) => r.value.task.lastStatus === 'DEACTIVATING')?.value;
    });
    assert.equal(deactivating.task.desiredStatus, 'STOPPED');
    assert.equal(deactivating.targets?.state, 'draining');
    // The agent still runs it: a moment later it is still DEACTIVATING, not STOPPING.
    await new Promise((r) => setTimeout(r, 500));
    const still = await t.ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: [deactivating.task.taskArn ?? ''] }),
    );
    assert.equal(still.tasks?.[0].lastStatus, 'DEACTIVATING');
    // The data plane finds no connection left: the target goes, and the task stops.
    assert.equal(
      await forgetDrainedTarget(store(), tgArn, `${draining.Target?.Id}:${draining.Target?.Port}`),
      true,
    );
    await waitFor('the drained task to stop', async () => {
      const got = await t.ecs.send(
        new DescribeTasksCommand({ cluster: CLUSTER, tasks: [deactivating.task.taskArn ?? ''] }),
      );
      return got.tasks?.[0].lastStatus === 'STOPPED' ? true : undefined;
    });
    const s = await describeService(t.ecs, CLUSTER, 'web');
    const messages = s.events?.map((e) => e.message) ?? [];
    assert.ok(
      messages.includes('(service web) has begun draining connections on 1 tasks.'),
      messages.join('\n'),
    );
    assert.ok(messages.includes(`(service web) deregistered 1 targets in (target-group ${tgArn})`));
    assert.equal((await targets()).length, 1);
  });
});
