/**
 * The ECS RunTask target on SIMULATED agents: an event runs the rule's task definition on the
 * cluster with the target's EcsParameters (count, group, tags, reference id) and the target's
 * input as container overrides, started by `events-rule/<rule>`; a missing cluster fails the
 * delivery for good.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { Kind } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { TEST_CREDENTIALS, type TestPlane, startTestPlane } from '../support/control-plane.ts';
import { registerTd, simAgents } from '../controllers/support.ts';

const ACCOUNT = '000000000000';
const CLUSTER = 'events-target';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsEventsRole`;

describe('EventBridge ECS RunTask target', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  let eb: EventBridgeClient;
  before(async () => {
    t = await startTestPlane({});
    await t.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    sim = await simAgents(t.plane.endpoint, CLUSTER, 2);
    await registerTd(t.ecs, 'evjob');
    eb = new EventBridgeClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    eb?.destroy();
    await sim?.stop();
    await t?.stop();
  });

  it('runs tasks with the target EcsParameters and startedBy events-rule/<rule>', async () => {
    await eb.send(new PutRuleCommand({ Name: 'run-on-event', EventPattern: '{"source":["jobs.app"]}' }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'run-on-event',
        Targets: [
          {
            Id: 'job',
            Arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${CLUSTER}`,
            RoleArn: ROLE,
            EcsParameters: {
              TaskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/evjob:1`,
              TaskCount: 2,
              LaunchType: 'EC2',
              Group: 'nightly',
              ReferenceId: 'ref-1',
              Tags: [{ Key: 'origin', Value: 'events' }],
            },
            InputTransformer: {
              InputPathsMap: { job: '$.detail.job' },
              InputTemplate:
                '{"containerOverrides": [{"name": "app", "environment": [{"name": "JOB", "value": <job>}]}]}',
            },
          },
          {
            Id: 'missing',
            Arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/nope`,
            RoleArn: ROLE,
            EcsParameters: { TaskDefinitionArn: 'evjob:1' },
          },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    await eb.send(
      new PutEventsCommand({
        Entries: [{ Source: 'jobs.app', DetailType: 'Run', Detail: '{"job":"reindex"}' }],
      }),
    );
    const arns = await waitFor(
      'the rule to run 2 tasks',
      async () => {
        const list = await t.ecs.send(
          new ListTasksCommand({ cluster: CLUSTER, startedBy: 'events-rule/run-on-event' }),
        );
        return (list.taskArns ?? []).length === 2 ? list.taskArns : undefined;
      },
      15_000,
      50,
    );
    const tasks =
      (await t.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns, include: ['TAGS'] })))
        .tasks ?? [];
    for (const task of tasks) {
      assert.equal(task.startedBy, 'events-rule/run-on-event');
      assert.equal(task.group, 'nightly');
      assert.equal(task.launchType, 'EC2');
      assert.deepEqual(task.tags, [{ key: 'origin', value: 'events' }]);
      assert.deepEqual(task.overrides?.containerOverrides?.[0]?.environment, [
        { name: 'JOB', value: 'reindex' },
      ]);
    }
    await waitFor(
      'the RUNNING tasks',
      async () => {
        const d = await t.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
        return d.tasks?.every((x) => x.lastStatus === 'RUNNING') ? true : undefined;
      },
      15_000,
      50,
    );
    // The target on a cluster that does not exist failed for good: no delivery left behind.
    await t.plane.eventRules.get('us-east-1')!.idle();
    assert.deepEqual(await t.plane.store.list(Kind.EventDelivery), []);
  });
});
