/**
 * A schedule whose target is ECS RunTask runs a task on SIMULATED agents (no Docker), through
 * the control plane's own schedules controller with the real clock: rate(1 minute) fires at once
 * (a rate schedule without StartDate starts when it is created), with Scheduler's startedBy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { registerTd, simAgents } from '../controllers/support.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

let plane: TestPlane;
let agents: SimulatedCluster;
let scheduler: SchedulerClient;

before(async () => {
  plane = await startTestPlane();
  await plane.ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
  agents = await simAgents(plane.plane.endpoint, 'jobs', 1);
  scheduler = new SchedulerClient({
    endpoint: plane.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});

after(async () => {
  scheduler.destroy();
  await agents.stop();
  await plane.stop();
});

describe('scheduler: ECS RunTask target', () => {
  it('runs the task on the cluster with startedBy chronos-schedule/<name> and the group', async () => {
    const taskDefinition = await registerTd(plane.ecs, 'nightly-job', { labels: { 'run-ms': '60000' } });
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'nightly',
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/jobs',
          RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
          EcsParameters: { TaskDefinitionArn: taskDefinition, TaskCount: 1, Group: 'batch' },
        },
      }),
    );
    const arns = await waitFor('the scheduled task', async () => {
      const listed = await plane.ecs.send(
        new ListTasksCommand({ cluster: 'jobs', startedBy: 'chronos-schedule/nightly' }),
      );
      return listed.taskArns?.length ? listed.taskArns : undefined;
    });
    const { tasks } = await plane.ecs.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: arns }));
    assert.equal(tasks?.length, 1, 'one occurrence so far, one task');
    assert.equal(tasks?.[0]?.startedBy, 'chronos-schedule/nightly');
    assert.equal(tasks?.[0]?.group, 'batch');
    await waitFor('RUNNING', async () => {
      const d = await plane.ecs.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: arns }));
      return d.tasks?.[0]?.lastStatus === 'RUNNING' ? true : undefined;
    });
    await scheduler.send(new DeleteScheduleCommand({ Name: 'nightly' }));
  });
});
