import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { RetentionSweeper } from '../../src/controllers/retention/retention-sweeper.ts';
import { keys, type TaskRecord } from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

describe('stopped-task retention', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'ret' }));
  });
  after(() => t.stop());

  const stoppedTask = (id: string, expiresAt: number): TaskRecord => ({
    clusterName: 'ret',
    assignmentVersion: 1,
    reportSeq: 3,
    expiresAt,
    task: {
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/ret/${id}`,
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/ret',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      containers: [],
    },
  });

  it('hides STOPPED tasks past their retention and then removes them; keeps the others', async () => {
    const now = Date.now();
    await t.plane.store.transact(async (tx) => {
      await tx.put(Kind.Task, keys.task('ret', 'a'.repeat(32)), stoppedTask('a'.repeat(32), now - 1000));
      await tx.put(Kind.Task, keys.task('ret', 'b'.repeat(32)), stoppedTask('b'.repeat(32), now + 3_600_000));
    });
    const described = await t.ecs.send(
      new DescribeTasksCommand({ cluster: 'ret', tasks: ['a'.repeat(32), 'b'.repeat(32)] }),
    );
    assert.deepEqual(
      described.tasks?.map((x) => x.taskArn?.split('/').pop()),
      ['b'.repeat(32)],
    );
    assert.equal(described.failures?.[0].reason, 'MISSING');

    const sweeper = new RetentionSweeper(t.plane.store, { now: () => now });
    assert.equal(await sweeper.sweep(), 1);
    assert.equal(await t.plane.store.get(Kind.Task, keys.task('ret', 'a'.repeat(32))), undefined);
    assert.ok(await t.plane.store.get(Kind.Task, keys.task('ret', 'b'.repeat(32))));
    assert.equal(await sweeper.sweep(), 0);
  });
});
