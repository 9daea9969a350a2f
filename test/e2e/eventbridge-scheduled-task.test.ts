/**
 * A scheduled rule runs a task on real Docker every interval: `rate(1 minute)` with the local pace
 * LONGSHORE_EVENTS_RATE_MINUTE_MS=1000 (a rule minute is a real second), an ECS target with a
 * group; each task is started by `events-rule/<rule>`, in the target's group, and its container
 * really runs (exit code 0). Disabling the rule stops the firing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DisableRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';

describe('a scheduled rule on real Docker', () => {
  let t: TestPlane;
  let a: TestAgent;
  let eb: EventBridgeClient;
  before(async () => {
    // Read by the control plane as it starts its regions' controllers.
    process.env.LONGSHORE_EVENTS_RATE_MINUTE_MS = '1000';
    t = await startTestPlane();
    eb = new EventBridgeClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    eb?.destroy();
    await a?.stop();
    await t?.stop();
  });

  const tasksStartedBy = async (startedBy: string): Promise<Task[]> => {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const out = await t.ecs.send(new ListTasksCommand({ cluster: 'ticks', startedBy, desiredStatus }));
      arns.push(...(out.taskArns ?? []));
    }
    if (arns.length === 0) return [];
    return (await t.ecs.send(new DescribeTasksCommand({ cluster: 'ticks', tasks: arns }))).tasks ?? [];
  };

  it('runs a task every (shortened) minute, started by events-rule/<rule> in the target group', async () => {
    const cluster = await t.ecs.send(new CreateClusterCommand({ clusterName: 'ticks' }));
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tick',
        containerDefinitions: [
          {
            name: 'app',
            image: 'longshore-test/busybox:latest',
            memory: 16,
            command: ['sh', '-c', 'echo tick'],
          },
        ],
      }),
    );
    a = await startTestAgent(t, { cluster: 'ticks' });
    await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'every-minute',
        Targets: [
          {
            Id: 'run',
            Arn: cluster.cluster!.clusterArn,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsEventsRole`,
            EcsParameters: {
              TaskDefinitionArn: td.taskDefinition!.taskDefinitionArn,
              TaskCount: 1,
              Group: 'nightly-batch',
            },
          },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);

    const started = await waitFor(
      'three scheduled tasks',
      async () => {
        const tasks = await tasksStartedBy('events-rule/every-minute');
        return tasks.length >= 3 ? tasks : undefined;
      },
      30_000,
    );
    await eb.send(new DisableRuleCommand({ Name: 'every-minute' }));
    for (const task of started) {
      assert.equal(task.startedBy, 'events-rule/every-minute');
      assert.equal(task.group, 'nightly-batch');
      assert.equal(task.taskDefinitionArn, td.taskDefinition!.taskDefinitionArn);
    }
    const created = started.map((task) => task.createdAt!.getTime()).sort((x, y) => x - y);
    for (let i = 1; i < created.length; i++) {
      const gap = created[i]! - created[i - 1]!;
      assert.ok(gap >= 500 && gap <= 3_000, `tasks ${gap} ms apart, one per rule minute (1 s)`);
    }
    const done = await waitFor(
      'a scheduled task to run its container and stop',
      async () =>
        (await tasksStartedBy('events-rule/every-minute')).find((task) => task.lastStatus === 'STOPPED'),
      30_000,
    );
    assert.equal(done.containers?.[0]?.exitCode, 0, 'the container really ran');
    assert.equal(done.stoppedReason, 'Essential container in task exited');

    // Disabled: no more tasks (one already written before the disable may still start).
    await t.plane.eventRules.get('us-east-1')!.idle();
    const count = (await tasksStartedBy('events-rule/every-minute')).length;
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await tasksStartedBy('events-rule/every-minute')).length, count);
  });
});
