/**
 * ECS cluster auto scaling over the `simulated` launcher (simulated agents: no container runs):
 * a RunTask that does not fit leaves tasks PROVISIONING, managed scaling adds instances, the tasks
 * start on them; after the scale-in datapoints the idle instance goes, never the one with a task.
 * Periods shortened to 1 s (LONGSHORE_AUTOSCALING_PERIOD_SECONDS).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

let t: TestPlane;
let asg: AutoScalingClient;
const previous = process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS;

before(async () => {
  process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS = '1';
  t = await startTestPlane({ controllers: {} });
  asg = new AutoScalingClient({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
});
after(async () => {
  asg.destroy();
  await t.stop();
  if (previous === undefined) delete process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS;
  else process.env.LONGSHORE_AUTOSCALING_PERIOD_SECONDS = previous;
});

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('adds instances for PROVISIONING tasks and removes only idle ones', { timeout: 120_000 }, async () => {
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'sim-workers',
      LaunchTemplate: { LaunchTemplateName: 'workers' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 0,
      AvailabilityZones: ['us-east-1a'],
      NewInstancesProtectedFromScaleIn: true,
      Tags: [
        { Key: 'longshore:launcher', Value: 'simulated' },
        { Key: 'longshore:cluster', Value: 'cas' },
        { Key: 'longshore:cpu', Value: '1024' },
        { Key: 'longshore:memory', Value: '2048' },
      ],
    }),
  );
  const group = (
    await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['sim-workers'] }))
  ).AutoScalingGroups?.[0];
  await t.ecs.send(
    new CreateCapacityProviderCommand({
      name: 'sim-cp',
      autoScalingGroupProvider: {
        autoScalingGroupArn: group?.AutoScalingGroupARN,
        managedScaling: { status: 'ENABLED', targetCapacity: 100 },
        managedTerminationProtection: 'ENABLED',
      },
    }),
  );
  await t.ecs.send(new CreateClusterCommand({ clusterName: 'cas' }));
  await t.ecs.send(
    new PutClusterCapacityProvidersCommand({
      cluster: 'cas',
      capacityProviders: ['sim-cp'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'sim-cp', weight: 1, base: 0 }],
    }),
  );
  await t.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'cas-job',
      requiresCompatibilities: ['EC2'],
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 512, memory: 512, essential: true }],
    }),
  );
  const started = performance.now();
  const run = await t.ecs.send(new RunTaskCommand({ cluster: 'cas', taskDefinition: 'cas-job', count: 3 }));
  assert.deepEqual(run.failures, []);
  assert.equal(run.tasks?.length, 3);
  for (const task of run.tasks ?? []) {
    assert.equal(task.lastStatus, 'PROVISIONING');
    assert.equal(task.capacityProviderName, 'sim-cp');
    assert.equal(task.containerInstanceArn, undefined);
  }
  const arns = (run.tasks ?? []).map((x) => x.taskArn ?? '');
  const running = await until('the tasks RUNNING', 60_000, async () => {
    const d = await t.ecs.send(new DescribeTasksCommand({ cluster: 'cas', tasks: arns }));
    return d.tasks?.every((x) => x.lastStatus === 'RUNNING') ? d.tasks : undefined;
  });
  const elapsed = performance.now() - started;
  console.log(
    `# simulated launcher: task that did not fit -> RUNNING on a new instance in ${elapsed.toFixed(0)} ms`,
  );
  // 3 tasks of 512 CPU on 1024-CPU instances: two instances (M = 2, target 100).
  const instances = new Set(running.map((x) => x.containerInstanceArn));
  assert.equal(instances.size, 2);
  const g2 = (
    await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['sim-workers'] }))
  ).AutoScalingGroups?.[0];
  assert.equal(g2?.DesiredCapacity, 2);
  // Every instance runs tasks: managed termination protection protects both.
  await until('both instances protected', 10_000, async () => {
    const d = await asg.send(new DescribeAutoScalingInstancesCommand({}));
    return d.AutoScalingInstances?.length === 2 && d.AutoScalingInstances.every((i) => i.ProtectedFromScaleIn)
      ? true
      : undefined;
  });
  // Stop every task of one instance: it becomes idle and is the one scale-in removes.
  const byInstance = new Map<string, string[]>();
  for (const x of running)
    byInstance.set(x.containerInstanceArn ?? '', [
      ...(byInstance.get(x.containerInstanceArn ?? '') ?? []),
      x.taskArn ?? '',
    ]);
  const [idleArn, idleTasks] = [...byInstance.entries()].sort((a, b) => a[1].length - b[1].length)[0];
  const [busyArn, busyTasks] = [...byInstance.entries()].find(([arn]) => arn !== idleArn) ?? ['', []];
  for (const task of idleTasks) await t.ecs.send(new StopTaskCommand({ cluster: 'cas', task }));
  const ids = await t.ecs.send(
    new DescribeContainerInstancesCommand({ cluster: 'cas', containerInstances: [idleArn, busyArn] }),
  );
  const idleEc2 = ids.containerInstances?.find((c) => c.containerInstanceArn === idleArn)?.ec2InstanceId;
  const busyEc2 = ids.containerInstances?.find((c) => c.containerInstanceArn === busyArn)?.ec2InstanceId;
  // 15 one-second datapoints below the target, then the idle instance drains and goes.
  const left = await until('the idle instance removed', 60_000, async () => {
    const d = await asg.send(new DescribeAutoScalingInstancesCommand({}));
    const list = d.AutoScalingInstances ?? [];
    return list.length === 1 ? list : undefined;
  });
  assert.equal(left[0].InstanceId, busyEc2);
  assert.notEqual(left[0].InstanceId, idleEc2);
  const still = await t.ecs.send(new DescribeTasksCommand({ cluster: 'cas', tasks: busyTasks }));
  assert.ok(
    still.tasks?.every((x) => x.lastStatus === 'RUNNING'),
    'the busy instance kept its tasks',
  );
  const active = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'cas', status: 'ACTIVE' }));
  assert.deepEqual(active.containerInstanceArns, [busyArn]);
  const g3 = (
    await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['sim-workers'] }))
  ).AutoScalingGroups?.[0];
  assert.equal(g3?.DesiredCapacity, 1);
});
