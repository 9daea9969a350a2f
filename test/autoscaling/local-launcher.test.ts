/**
 * The `local` launcher starts a real `longshore agent` process per instance (here with its
 * simulated runtime, so no Docker is needed): it registers into the group's cluster with the
 * instance id as its EC2 instance id, takes a task that was waiting in PROVISIONING, and is
 * stopped (the process gone, its container instance INACTIVE) when the group scales in.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  SetDesiredCapacityCommand,
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
import { Kind } from '../../src/store/store.ts';
import type { InstanceRecord } from '../../src/autoscaling/model/records.ts';

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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('starts a longshore agent process that registers and runs the waiting task', {
  timeout: 120_000,
}, async () => {
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'local-workers',
      LaunchTemplate: { LaunchTemplateName: 'workers' },
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 0,
      AvailabilityZones: ['us-east-1b'],
      Tags: [
        { Key: 'longshore:launcher', Value: 'local' },
        { Key: 'longshore:agent-runtime', Value: 'simulated' },
        { Key: 'longshore:cluster', Value: 'local-cas' },
        { Key: 'longshore:cpu', Value: '1024' },
        { Key: 'longshore:memory', Value: '1024' },
      ],
    }),
  );
  const arn = (
    await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['local-workers'] }))
  ).AutoScalingGroups?.[0].AutoScalingGroupARN;
  await t.ecs.send(
    new CreateCapacityProviderCommand({
      name: 'local-cp',
      autoScalingGroupProvider: { autoScalingGroupArn: arn, managedScaling: { status: 'ENABLED' } },
    }),
  );
  await t.ecs.send(new CreateClusterCommand({ clusterName: 'local-cas' }));
  await t.ecs.send(
    new PutClusterCapacityProvidersCommand({
      cluster: 'local-cas',
      capacityProviders: ['local-cp'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'local-cp', weight: 1 }],
    }),
  );
  await t.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'local-job',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 256, memory: 256, essential: true }],
    }),
  );
  const started = performance.now();
  const run = await t.ecs.send(new RunTaskCommand({ cluster: 'local-cas', taskDefinition: 'local-job' }));
  assert.equal(run.tasks?.[0].lastStatus, 'PROVISIONING');
  const taskArn = run.tasks?.[0].taskArn ?? '';
  const registered = await until('the agent registered', 60_000, async () => {
    const list = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'local-cas' }));
    return list.containerInstanceArns?.[0];
  });
  const registeredMs = performance.now() - started;
  const task = await until('the task RUNNING', 60_000, async () => {
    const d = await t.ecs.send(new DescribeTasksCommand({ cluster: 'local-cas', tasks: [taskArn] }));
    return d.tasks?.[0].lastStatus === 'RUNNING' ? d.tasks[0] : undefined;
  });
  const runningMs = performance.now() - started;
  console.log(
    `# local launcher: agent registered ${registeredMs.toFixed(0)} ms, task RUNNING ${runningMs.toFixed(0)} ms after RunTask`,
  );
  assert.equal(task.containerInstanceArn, registered);
  const [instance] = (await asg.send(new DescribeAutoScalingInstancesCommand({}))).AutoScalingInstances ?? [];
  const ci = await t.ecs.send(
    new DescribeContainerInstancesCommand({ cluster: 'local-cas', containerInstances: [registered] }),
  );
  assert.equal(
    ci.containerInstances?.[0].ec2InstanceId,
    instance.InstanceId,
    'the agent reports the instance id',
  );
  assert.equal(
    ci.containerInstances?.[0].remainingResources?.find((r) => r.name === 'CPU')?.integerValue,
    1024 - 256,
  );
  const stored = await t.plane.ecs.store.get<InstanceRecord>(
    Kind.AutoScalingInstance,
    `local-workers/${instance.InstanceId}`,
  );
  const pid = Number(stored?.value.handle?.pid);
  assert.ok(pid > 0 && processAlive(pid), 'a separate agent process runs');
  assert.notEqual(pid, process.pid);
  // Scale in by hand: managed draining waits for the task, then the process is stopped.
  await t.ecs.send(new StopTaskCommand({ cluster: 'local-cas', task: taskArn }));
  await asg.send(
    new SetDesiredCapacityCommand({ AutoScalingGroupName: 'local-workers', DesiredCapacity: 0 }),
  );
  await until('the instance gone', 60_000, async () => {
    const d = await asg.send(new DescribeAutoScalingInstancesCommand({}));
    return d.AutoScalingInstances?.length === 0 ? true : undefined;
  });
  await until('the agent process ended', 15_000, async () => (processAlive(pid) ? undefined : true));
  const after = await t.ecs.send(
    new DescribeContainerInstancesCommand({ cluster: 'local-cas', containerInstances: [registered] }),
  );
  assert.equal(after.containerInstances?.[0].status, 'INACTIVE');
});
