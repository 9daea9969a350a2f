/**
 * Services on Auto Scaling group capacity providers, over the `simulated` launcher: the strategy's
 * base/weight split across providers (kept on scale-out), tasks on each provider's own instances,
 * PROVISIONING tasks that make managed scaling add instances, a strategy change as a new
 * deployment, and ECS's validation. Periods shortened to 1 s (LONGSHORE_AUTOSCALING_PERIOD_SECONDS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  type Task,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const CLUSTER = 'svc-cp';
let t: TestPlane;
let asg: AutoScalingClient;
const previous = process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A group of simulated 2048-CPU instances registering into CLUSTER, and a managed provider over it. */
async function provider(name: string, desired: number): Promise<void> {
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: `${name}-group`,
      LaunchTemplate: { LaunchTemplateName: 'workers' },
      MinSize: desired,
      MaxSize: 4,
      DesiredCapacity: desired,
      AvailabilityZones: ['us-east-1a'],
      NewInstancesProtectedFromScaleIn: true,
      Tags: [
        { Key: 'longshore:launcher', Value: 'simulated' },
        { Key: 'longshore:cluster', Value: CLUSTER },
        { Key: 'longshore:cpu', Value: '2048' },
        { Key: 'longshore:memory', Value: '4096' },
      ],
    }),
  );
  const group = (await groupOf(name))?.AutoScalingGroupARN;
  await t.ecs.send(
    new CreateCapacityProviderCommand({
      name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: group,
        managedScaling: { status: 'ENABLED', targetCapacity: 100 },
        managedTerminationProtection: 'ENABLED',
      },
    }),
  );
}

async function groupOf(name: string) {
  const d = await asg.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${name}-group`] }),
  );
  return d.AutoScalingGroups?.[0];
}

async function describe1(service: string): Promise<Service> {
  const d = await t.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [service] }));
  return d.services?.[0] ?? {};
}

/** The service's tasks desired RUNNING. */
async function serviceTasks(service: string): Promise<Task[]> {
  const arns =
    (
      await t.ecs.send(
        new ListTasksCommand({ cluster: CLUSTER, serviceName: service, desiredStatus: 'RUNNING' }),
      )
    ).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await t.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
}

/** Steady: one COMPLETED deployment, every desired task RUNNING. */
async function steady(service: string, count: number, timeoutMs = 60_000): Promise<Task[]> {
  return until(`${service} steady at ${count}`, timeoutMs, async () => {
    const s = await describe1(service);
    const d = s.deployments ?? [];
    if (d.length !== 1 || d[0].rolloutState !== 'COMPLETED' || s.runningCount !== count) return undefined;
    const tasks = await serviceTasks(service);
    return tasks.length === count && tasks.every((x) => x.lastStatus === 'RUNNING') ? tasks : undefined;
  });
}

function split(tasks: Task[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of tasks) out[x.capacityProviderName ?? '-'] = (out[x.capacityProviderName ?? '-'] ?? 0) + 1;
  return out;
}

/** Each task runs on an instance of its own provider's group. */
async function assertOnOwnGroups(tasks: Task[]): Promise<void> {
  const arns = [...new Set(tasks.map((x) => x.containerInstanceArn ?? ''))];
  const d = await t.ecs.send(
    new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: arns }),
  );
  const ec2 = new Map((d.containerInstances ?? []).map((c) => [c.containerInstanceArn, c.ec2InstanceId]));
  for (const x of tasks) {
    const members = ((await groupOf(x.capacityProviderName ?? ''))?.Instances ?? []).map((i) => i.InstanceId);
    assert.ok(members.includes(ec2.get(x.containerInstanceArn)), `${x.taskArn} runs on its provider's group`);
  }
}

before(async () => {
  process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS = '1';
  t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 500 } } });
  asg = new AutoScalingClient({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  await provider('cp-a', 1);
  await provider('cp-b', 1);
  await provider('cp-c', 0);
  await t.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  await t.ecs.send(
    new PutClusterCapacityProvidersCommand({
      cluster: CLUSTER,
      capacityProviders: ['cp-a', 'cp-b', 'cp-c', 'FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'cp-c', weight: 1 }],
    }),
  );
  await t.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'svc-cp-web',
      requiresCompatibilities: ['EC2'],
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 256, memory: 256, essential: true }],
    }),
  );
  await until('the instances of cp-a and cp-b registered', 30_000, async () => {
    const l = await t.ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, status: 'ACTIVE' }));
    return (l.containerInstanceArns ?? []).length === 2 ? true : undefined;
  });
});

after(async () => {
  asg.destroy();
  await t.stop();
  if (previous === undefined) delete process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS;
  else process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS = previous;
});

describe('services on Auto Scaling group capacity providers', { timeout: 180_000 }, () => {
  it('splits desired 4 over base 1 / weight 1 and weight 1 as ECS does, and keeps it on scale-out', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'split',
        taskDefinition: 'svc-cp-web',
        desiredCount: 4,
        capacityProviderStrategy: [
          { capacityProvider: 'cp-a', base: 1, weight: 1 },
          { capacityProvider: 'cp-b', weight: 1 },
        ],
      }),
    );
    const tasks = await steady('split', 4);
    // a's base, then the weighted split b a b.
    assert.deepEqual(split(tasks), { 'cp-a': 2, 'cp-b': 2 });
    await assertOnOwnGroups(tasks);
    const s = await describe1('split');
    assert.equal(s.launchType, undefined);
    assert.deepEqual(s.capacityProviderStrategy, [
      { capacityProvider: 'cp-a', base: 1, weight: 1 },
      { capacityProvider: 'cp-b', base: 0, weight: 1 },
    ]);
    await t.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'split', desiredCount: 6 }));
    const more = await steady('split', 6);
    assert.deepEqual(split(more), { 'cp-a': 3, 'cp-b': 3 });
    await assertOnOwnGroups(more);
  });

  it('leaves tasks PROVISIONING when the provider has no room, scales its group out and reaches steady state', async () => {
    assert.equal((await groupOf('cp-c'))?.DesiredCapacity, 0);
    // No strategy: the cluster's default (cp-c, whose group has no instance yet).
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'grow',
        taskDefinition: 'svc-cp-web',
        desiredCount: 2,
      }),
    );
    const first = await until('the tasks created', 10_000, async () => {
      const tasks = await serviceTasks('grow');
      return tasks.length === 2 ? tasks : undefined;
    });
    assert.ok(
      first.every((x) => x.capacityProviderName === 'cp-c'),
      'both tasks are cp-c tasks',
    );
    const s = await describe1('grow');
    assert.deepEqual(s.capacityProviderStrategy, [{ capacityProvider: 'cp-c', base: 0, weight: 1 }]);
    assert.ok(
      (s.events ?? []).some(
        (e) =>
          e.message ===
          '(service grow) has 2 tasks waiting in PROVISIONING for capacity provider cp-c: no instance of its Auto Scaling group has room; they start when managed scaling adds one.',
      ),
      JSON.stringify(s.events),
    );
    const tasks = await steady('grow', 2);
    assert.deepEqual(split(tasks), { 'cp-c': 2 });
    assert.equal((await groupOf('cp-c'))?.DesiredCapacity, 1);
    await assertOnOwnGroups(tasks);
    assert.ok(
      ((await describe1('grow')).events ?? []).some(
        (e) => e.message === '(service grow) has reached a steady state.',
      ),
    );
  });

  it('starts a new deployment when UpdateService changes the strategy', async () => {
    const before = await describe1('split');
    const old = before.deployments?.[0]?.id;
    const updated = await t.ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: 'split',
        desiredCount: 2,
        capacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1 }],
        forceNewDeployment: true,
      }),
    );
    const deployments = updated.service?.deployments ?? [];
    assert.equal(deployments.length, 2);
    assert.equal(deployments[0].status, 'PRIMARY');
    assert.notEqual(deployments[0].id, old);
    assert.deepEqual(deployments[0].capacityProviderStrategy, [
      { capacityProvider: 'cp-b', base: 0, weight: 1 },
    ]);
    const tasks = await steady('split', 2);
    assert.deepEqual(split(tasks), { 'cp-b': 2 });
    assert.ok(tasks.every((x) => x.startedBy === deployments[0].id));
  });

  it('refuses what ECS refuses: mixed providers, providers not on the cluster, a launch type with a strategy, awsvpc', async () => {
    const base = { cluster: CLUSTER, taskDefinition: 'svc-cp-web', desiredCount: 1 };
    const refused = async (input: object, message: string) => {
      await assert.rejects(
        t.ecs.send(new CreateServiceCommand({ ...base, serviceName: 'bad', ...input })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === message,
      );
    };
    await refused(
      {
        capacityProviderStrategy: [
          { capacityProvider: 'cp-a', weight: 1 },
          { capacityProvider: 'FARGATE', weight: 1 },
        ],
      },
      'The capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.',
    );
    await refused(
      { capacityProviderStrategy: [{ capacityProvider: 'elsewhere', weight: 1 }] },
      'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
    );
    await refused(
      { launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp-a', weight: 1 }] },
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'svc-cp-vpc',
        networkMode: 'awsvpc',
        containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 256, memory: 256, essential: true }],
      }),
    );
    await refused(
      { taskDefinition: 'svc-cp-vpc', capacityProviderStrategy: [{ capacityProvider: 'cp-a', weight: 1 }] },
      'Longshore places awsvpc tasks of Auto Scaling group capacity providers only with the EC2 launch type; use launchType EC2 or another network mode.',
    );
    await assert.rejects(
      t.ecs.send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: 'grow',
          capacityProviderStrategy: [
            { capacityProvider: 'cp-a', weight: 1 },
            { capacityProvider: 'FARGATE', weight: 1 },
          ],
          forceNewDeployment: true,
        }),
      ),
      (e: Error) => e.name === 'InvalidParameterException' && /a mix of capacity providers/.test(e.message),
    );
  });
});
