import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { ensureDefaultVpc, getNetworkInterface, listSubnets } from '../../src/ec2/model/index.ts';
import type { SubnetRecord } from '../../src/ec2/model/index.ts';
import { ec2Client } from '../support/ec2-client.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { callLongshore } from '../../src/cli/longshore-call.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { describeAll, registerFamily, simulatedCluster, waitRunning } from './support.ts';

const FARGATE_TD = {
  networkMode: 'awsvpc' as const,
  requiresCompatibilities: ['FARGATE' as const],
  cpu: '256',
  memory: '512',
};

describe('Fargate launch type on the capacity the agents offer (simulated agents)', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let subnets: SubnetRecord[];
  const network = () => ({
    awsvpcConfiguration: {
      subnets: subnets.slice(0, 2).map((s) => s.subnetId),
      assignPublicIp: 'ENABLED' as const,
    },
  });

  before(async () => {
    t = await startTestPlane();
    // The agents join the `hosts` cluster; Fargate tasks run in other clusters on their capacity.
    sim = await simulatedCluster(t, 'hosts', [
      { cpu: 8192, memory: 16384 },
      { cpu: 8192, memory: 16384 },
    ]);
    const store = t.plane.ecs.store;
    await store.transact((tx) => ensureDefaultVpc(tx, t.plane.ecs));
    subnets = (await listSubnets(store))
      .filter((s) => s.defaultForAz)
      .sort((a, b) => (a.availabilityZone < b.availabilityZone ? -1 : 1));
    await t.ecs.send(
      new CreateClusterCommand({ clusterName: 'app', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }),
    );
    await registerFamily(t.ecs, 'web', { memory: undefined, cpu: undefined }, FARGATE_TD);
    await registerFamily(t.ecs, 'bridge-only', {}, {});
  });
  after(async () => {
    await sim?.stop();
    await t?.stop();
  });

  it('runs a FARGATE task with its own address, no container instance, and the fields ECS fills', async () => {
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        count: 2,
        networkConfiguration: network(),
      }),
    );
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(
      t.ecs,
      'app',
      (out.tasks ?? []).map((x) => x.taskArn ?? ''),
    );
    const ips = new Set<string>();
    for (const task of tasks) {
      assert.equal(task.containerInstanceArn, undefined);
      assert.equal(task.launchType, 'FARGATE');
      assert.equal(task.platformVersion, '1.4.0');
      assert.equal(task.platformFamily, 'Linux');
      assert.deepEqual(task.ephemeralStorage, { sizeInGiB: 20 });
      assert.equal(task.cpu, '256');
      const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
      assert.ok(eni, 'an ENI attachment');
      assert.equal(eni.status, 'ATTACHED');
      const detail = Object.fromEntries((eni.details ?? []).map((d) => [d.name, d.value]));
      assert.deepEqual(Object.keys(detail).sort(), [
        'macAddress',
        'networkInterfaceId',
        'privateDnsName',
        'privateIPv4Address',
        'subnetId',
      ]);
      assert.match(detail.networkInterfaceId ?? '', /^eni-[0-9a-f]{17}$/);
      assert.equal(task.containers?.[0].networkInterfaces?.[0].privateIpv4Address, detail.privateIPv4Address);
      assert.equal(task.containers?.[0].networkInterfaces?.[0].attachmentId, eni.id);
      ips.add(detail.privateIPv4Address ?? '');
    }
    assert.equal(ips.size, 2, 'each task has its own address');
    // Spread across the two subnets' zones, as Fargate spreads a group.
    assert.equal(new Set(tasks.map((x) => x.availabilityZone)).size, 2);
    // No container instance is shown in the task's cluster.
    const instances = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'app' }));
    assert.deepEqual(instances.containerInstanceArns, []);
    const listed = await t.ecs.send(new ListTasksCommand({ cluster: 'app', launchType: 'FARGATE' }));
    assert.equal(listed.taskArns?.length, 2);
    const [cluster] =
      (await t.ecs.send(new DescribeClustersCommand({ clusters: ['app'], include: ['STATISTICS'] })))
        .clusters ?? [];
    const stats = Object.fromEntries((cluster?.statistics ?? []).map((x) => [x.name, x.value]));
    assert.equal(stats.runningFargateTasksCount, '2');
    assert.equal(stats.runningEC2TasksCount, '0');
  });

  it('releases the address once the task has stopped', async () => {
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: network(),
      }),
    );
    const [task] = await waitRunning(t.ecs, 'app', [out.tasks?.[0].taskArn ?? '']);
    const eniId = task.attachments?.[0].details?.find((d) => d.name === 'networkInterfaceId')?.value ?? '';
    assert.ok(await getNetworkInterface(t.plane.ecs.store, eniId));
    await t.ecs.send(new StopTaskCommand({ cluster: 'app', task: task.taskArn }));
    const stopped = await waitUntil(async () => {
      const [x] =
        (await t.ecs.send(new DescribeTasksCommand({ cluster: 'app', tasks: [task.taskArn ?? ''] }))).tasks ??
        [];
      return x?.attachments?.[0].status === 'DELETED' ? x : undefined;
    });
    assert.equal(stopped.lastStatus, 'STOPPED');
    assert.equal(await getNetworkInterface(t.plane.ecs.store, eniId), undefined);
  });

  it('splits a capacity provider strategy by base and weight as ECS does', async () => {
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'web',
        count: 6,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 4 },
        ],
        networkConfiguration: network(),
      }),
    );
    assert.deepEqual(out.failures, []);
    const names = (out.tasks ?? []).map((x) => x.capacityProviderName);
    assert.deepEqual(names, [
      'FARGATE',
      'FARGATE_SPOT',
      'FARGATE_SPOT',
      'FARGATE_SPOT',
      'FARGATE',
      'FARGATE_SPOT',
    ]);
    assert.ok((out.tasks ?? []).every((x) => x.launchType === 'FARGATE'));
  });

  it('interrupts a FARGATE_SPOT task with the stop code and reason ECS gives', async () => {
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'web',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        networkConfiguration: network(),
      }),
    );
    const arn = out.tasks?.[0].taskArn ?? '';
    await waitRunning(t.ecs, 'app', [arn]);
    await callLongshore(
      'InterruptSpotTask',
      t.plane.endpoint,
      'us-east-1',
      { cluster: 'app', task: arn },
      TEST_CREDENTIALS,
    );
    const stopped = await waitUntil(async () => {
      const [x] = (await t.ecs.send(new DescribeTasksCommand({ cluster: 'app', tasks: [arn] }))).tasks ?? [];
      return x?.lastStatus === 'STOPPED' ? x : undefined;
    });
    assert.equal(stopped.stopCode, 'SpotInterruption');
    assert.equal(stopped.stoppedReason, 'Your Spot Task was interrupted.');
    const onDemand = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: network(),
      }),
    );
    await assert.rejects(
      callLongshore(
        'InterruptSpotTask',
        t.plane.endpoint,
        'us-east-1',
        { cluster: 'app', task: onDemand.tasks?.[0].taskArn },
        TEST_CREDENTIALS,
      ),
      /InvalidParameterException: Only FARGATE_SPOT tasks can be interrupted/,
    );
  });

  it('keeps a Fargate service at its desired count, spread across zones', async () => {
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'app',
        serviceName: 'svc',
        taskDefinition: 'web',
        desiredCount: 4,
        launchType: 'FARGATE',
        networkConfiguration: network(),
      }),
    );
    const service = await waitUntil(async () => {
      const [s] =
        (await t.ecs.send(new DescribeServicesCommand({ cluster: 'app', services: ['svc'] }))).services ?? [];
      return s?.runningCount === 4 && s.deployments?.length === 1 ? s : undefined;
    }, 15_000);
    assert.equal(service.launchType, 'FARGATE');
    assert.equal(service.platformVersion, 'LATEST');
    // assignPublicIp ENABLED is accepted as on AWS, and the service says what it means here.
    assert.ok(
      service.events?.some((e) =>
        /assignPublicIp is ENABLED, but Longshore gives tasks no public address/.test(e.message ?? ''),
      ),
    );
    const arns =
      (await t.ecs.send(new ListTasksCommand({ cluster: 'app', serviceName: 'svc' }))).taskArns ?? [];
    const tasks = await describeAll(t.ecs, 'app', arns);
    const zones = count(tasks.map((x) => x.availabilityZone ?? ''));
    assert.deepEqual([...zones.values()].sort(), [2, 2]);
  });

  it("uses the cluster's default strategy, and a service keeps the split as it scales out", async () => {
    await t.ecs.send(
      new CreateClusterCommand({
        clusterName: 'spotty',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      }),
    );
    const run = await t.ecs.send(
      new RunTaskCommand({ cluster: 'spotty', taskDefinition: 'web', networkConfiguration: network() }),
    );
    assert.equal(run.tasks?.[0].capacityProviderName, 'FARGATE_SPOT');
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'spotty',
        serviceName: 'mixed',
        taskDefinition: 'web',
        desiredCount: 2,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 1 },
        ],
        networkConfiguration: network(),
      }),
    );
    const providers = async (n: number) =>
      waitUntil(async () => {
        const arns =
          (await t.ecs.send(new ListTasksCommand({ cluster: 'spotty', serviceName: 'mixed' }))).taskArns ??
          [];
        if (arns.length !== n) return undefined;
        const tasks = await describeAll(t.ecs, 'spotty', arns);
        return count(tasks.map((x) => x.capacityProviderName ?? ''));
      }, 15_000);
    assert.deepEqual(Object.fromEntries(await providers(2)), { FARGATE: 1, FARGATE_SPOT: 1 });
    await t.ecs.send(new UpdateServiceCommand({ cluster: 'spotty', service: 'mixed', desiredCount: 5 }));
    // Base 1 on FARGATE, then 1:1: the four beyond the base split 2 and 2.
    assert.deepEqual(Object.fromEntries(await providers(5)), { FARGATE: 3, FARGATE_SPOT: 2 });
  });

  it('gives awsvpc tasks on container instances (EC2 launch type) an ENI in the zone of their instance', async () => {
    await registerFamily(t.ecs, 'vpc-ec2', {}, { networkMode: 'awsvpc' });
    const all = subnets.map((x) => x.subnetId);
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'hosts',
        taskDefinition: 'vpc-ec2',
        count: 2,
        networkConfiguration: { awsvpcConfiguration: { subnets: all } },
      }),
    );
    assert.deepEqual(out.failures, []);
    const tasks = await waitRunning(
      t.ecs,
      'hosts',
      (out.tasks ?? []).map((x) => x.taskArn ?? ''),
    );
    for (const task of tasks) {
      assert.equal(task.launchType, 'EC2');
      assert.ok(task.containerInstanceArn);
      const detail = Object.fromEntries((task.attachments?.[0].details ?? []).map((d) => [d.name, d.value]));
      const subnet = subnets.find((x) => x.subnetId === detail.subnetId);
      assert.equal(subnet?.availabilityZone, task.availabilityZone, 'the ENI is in the instance zone');
    }
    const publicIp = await awsError(() =>
      t.ecs.send(
        new RunTaskCommand({
          cluster: 'hosts',
          taskDefinition: 'vpc-ec2',
          networkConfiguration: { awsvpcConfiguration: { subnets: all, assignPublicIp: 'ENABLED' } },
        }),
      ),
    );
    assert.equal(publicIp.message, 'Assign public IP is not supported for this launch type.');
  });

  it('refuses what ECS refuses for Fargate, with ECS error types and texts', async () => {
    const run = (extra: object) =>
      awsError(() =>
        t.ecs.send(
          new RunTaskCommand({
            cluster: 'app',
            taskDefinition: 'web',
            launchType: 'FARGATE',
            networkConfiguration: network(),
            ...extra,
          }),
        ),
      );
    assert.deepEqual(
      pick(
        await run({
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'] } },
        }),
      ),
      {
        name: 'InvalidParameterException',
        message:
          "Error retrieving subnet information for [subnet-0123456789abcdef0]: The subnet ID 'subnet-0123456789abcdef0' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
      },
    );
    assert.match(
      (
        await run({
          networkConfiguration: {
            awsvpcConfiguration: { subnets: [subnets[0].subnetId], securityGroups: ['sg-0123456789abcdef0'] },
          },
        })
      ).message,
      /Error retrieving security group information for \[sg-0123456789abcdef0\]/,
    );
    assert.equal(
      (await run({ networkConfiguration: undefined })).message,
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    assert.equal(
      (await run({ placementConstraints: [{ type: 'distinctInstance' }] })).message,
      'Placement constraints are not supported with FARGATE launch type.',
    );
    assert.equal(
      (await run({ placementStrategy: [{ type: 'random' }] })).message,
      'Placement strategies are not supported with FARGATE launch type.',
    );
    assert.deepEqual(pick(await run({ platformVersion: '9.9.9' })), {
      name: 'PlatformUnknownException',
      message: 'The specified platform version (9.9.9) does not exist.',
    });
    assert.equal(
      (await run({ overrides: { cpu: '256', memory: '4096' } })).message,
      'No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.',
    );
    const bridge = await awsError(() =>
      t.ecs.send(
        new RunTaskCommand({ cluster: 'app', taskDefinition: 'bridge-only', launchType: 'FARGATE' }),
      ),
    );
    assert.equal(bridge.name, 'InvalidParameterException');
    assert.equal(bridge.message, 'Task definition does not support launch_type FARGATE.');
    // Nothing half-made: no task exists from any refused call.
    const before = (await t.ecs.send(new ListTasksCommand({ cluster: 'app', desiredStatus: 'RUNNING' })))
      .taskArns?.length;
    await run({ placementStrategy: [{ type: 'random' }] });
    const after = (await t.ecs.send(new ListTasksCommand({ cluster: 'app', desiredStatus: 'RUNNING' })))
      .taskArns?.length;
    assert.equal(after, before);
  });

  it('refuses subnets of two VPCs, and reports a full subnet as a failure with nothing half-made', async () => {
    const ec2 = ec2Client(t.plane.endpoint);
    try {
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.77.0.0/16' }));
      // A /28: 16 addresses, AWS reserves 5, so 11 tasks fit.
      const tiny = await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpc.Vpc?.VpcId,
          CidrBlock: '10.77.0.0/28',
          AvailabilityZone: 'us-east-1a',
        }),
      );
      const tinyId = tiny.Subnet?.SubnetId ?? '';
      const mixed = await awsError(() =>
        t.ecs.send(
          new RunTaskCommand({
            cluster: 'app',
            taskDefinition: 'web',
            launchType: 'FARGATE',
            networkConfiguration: { awsvpcConfiguration: { subnets: [tinyId, subnets[0].subnetId] } },
          }),
        ),
      );
      assert.equal(mixed.name, 'InvalidParameterException');
      assert.match(mixed.message, /in different VPCs/);
      const inTiny = { awsvpcConfiguration: { subnets: [tinyId] } };
      const first = await t.ecs.send(
        new RunTaskCommand({
          cluster: 'app',
          taskDefinition: 'web',
          launchType: 'FARGATE',
          count: 10,
          networkConfiguration: inTiny,
        }),
      );
      assert.equal(first.tasks?.length, 10);
      const second = await t.ecs.send(
        new RunTaskCommand({
          cluster: 'app',
          taskDefinition: 'web',
          launchType: 'FARGATE',
          count: 3,
          networkConfiguration: inTiny,
        }),
      );
      assert.equal(second.tasks?.length, 1);
      assert.deepEqual(
        second.failures?.map((f) => f.reason),
        ['InsufficientFreeAddressesInSubnet', 'InsufficientFreeAddressesInSubnet'],
      );
      const [subnet] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [tinyId] }))).Subnets ?? [];
      assert.equal(subnet.AvailableIpAddressCount, 0);
      const enis = await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [tinyId] }] }),
      );
      assert.equal(enis.NetworkInterfaces?.length, 11, 'one ENI per task created, none for the failures');
      const arns = [...(first.tasks ?? []), ...(second.tasks ?? [])].map((x) => x.taskArn ?? '');
      for (const arn of arns) await t.ecs.send(new StopTaskCommand({ cluster: 'app', task: arn }));
      await waitUntil(async () => {
        const [x] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [tinyId] }))).Subnets ?? [];
        return x?.AvailableIpAddressCount === 11 ? true : undefined;
      });
    } finally {
      ec2.destroy();
    }
  });

  it('answers with ECS failures (not an error) when Fargate has no room', async () => {
    await registerFamily(
      t.ecs,
      'huge',
      { memory: undefined, cpu: undefined },
      { ...FARGATE_TD, cpu: '16384', memory: '122880' },
    );
    const out = await t.ecs.send(
      new RunTaskCommand({
        cluster: 'app',
        taskDefinition: 'huge',
        launchType: 'FARGATE',
        networkConfiguration: network(),
      }),
    );
    assert.deepEqual(out.tasks, []);
    assert.equal(
      out.failures?.[0].reason,
      'Capacity is unavailable at this time. Please try again later or in a different availability zone',
    );
    assert.match(out.failures?.[0].detail ?? '', /needs 16384 CPU units and 122880 MiB/);
  });
});

function pick(e: { name: string; message: string }) {
  return { name: e.name, message: e.message };
}

function count(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type { Task };
