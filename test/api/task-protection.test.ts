import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  GetTaskProtectionCommand,
  UpdateTaskProtectionCommand,
  type UpdateTaskProtectionCommandInput,
} from '@aws-sdk/client-ecs';
import { keys, type TaskRecord } from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const CLUSTER = 'guard';
const TASKS = `arn:aws:ecs:us-east-1:000000000000:task/${CLUSTER}`;
const SVC_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SVC_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const EXPIRED = 'cccccccccccccccccccccccccccccccc';
const STANDALONE = 'dddddddddddddddddddddddddddddddd';
const UNKNOWN = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';

function record(id: string, serviceName?: string, protection?: TaskRecord['protection']): TaskRecord {
  return {
    task: { taskArn: `${TASKS}/${id}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
    clusterName: CLUSTER,
    assignmentVersion: 1,
    reportSeq: 0,
    ...(serviceName ? { serviceName } : {}),
    ...(protection ? { protection } : {}),
  };
}

describe('task scale-in protection API', () => {
  let t: TestPlane;
  const update = (input: Partial<UpdateTaskProtectionCommandInput>) =>
    t.ecs.send(
      new UpdateTaskProtectionCommand({
        cluster: CLUSTER,
        tasks: [SVC_A],
        protectionEnabled: true,
        ...input,
      }),
    );
  const invalid = async (input: Partial<UpdateTaskProtectionCommandInput>, message: RegExp) => {
    const e = await awsError(() => update(input));
    assert.equal(e.name, 'InvalidParameterException', e.message);
    assert.match(e.message, message);
    assert.equal(e.status, 400);
  };
  /** Epoch seconds `minutes` from now, as the SDK's Date. */
  const near = (date: Date | undefined, minutes: number) => {
    const expected = Date.now() + minutes * 60_000;
    assert.ok(date instanceof Date, 'expirationDate is a Date');
    assert.ok(
      Math.abs(date.getTime() - expected) < 5_000,
      `${date.toISOString()} is ${minutes} min from now`,
    );
  };

  before(async () => {
    t = await startTestPlane({ controllers: false });
    await t.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await t.plane.store.transact(async (tx) => {
      await tx.put(Kind.Task, keys.task(CLUSTER, SVC_A), record(SVC_A, 'web'), 'absent');
      await tx.put(Kind.Task, keys.task(CLUSTER, SVC_B), record(SVC_B, 'web'), 'absent');
      const past = { enabled: true, expiresAt: Date.now() - 1000 };
      await tx.put(Kind.Task, keys.task(CLUSTER, EXPIRED), record(EXPIRED, 'web', past), 'absent');
      await tx.put(Kind.Task, keys.task(CLUSTER, STANDALONE), record(STANDALONE), 'absent');
    });
  });
  after(async () => {
    await t?.stop();
  });

  it('protects for 120 minutes by default and reports it through GetTaskProtection', async () => {
    const out = await update({ tasks: [SVC_A] });
    assert.deepEqual(out.failures, []);
    assert.equal(out.protectedTasks?.length, 1);
    const [p] = out.protectedTasks ?? [];
    assert.equal(p.taskArn, `${TASKS}/${SVC_A}`);
    assert.equal(p.protectionEnabled, true);
    near(p.expirationDate, 120);
    const got = await t.ecs.send(
      new GetTaskProtectionCommand({ cluster: CLUSTER, tasks: [`${TASKS}/${SVC_A}`] }),
    );
    assert.deepEqual(got.protectedTasks, out.protectedTasks);
    assert.deepEqual(got.failures, []);
  });

  it('takes expiresInMinutes, resets the period on every call, and turns protection off', async () => {
    const five = await update({ tasks: [SVC_B, `${CLUSTER}/${SVC_A}`], expiresInMinutes: 5 });
    assert.deepEqual(
      five.protectedTasks?.map((p) => p.taskArn),
      [`${TASKS}/${SVC_B}`, `${TASKS}/${SVC_A}`],
    );
    for (const p of five.protectedTasks ?? []) near(p.expirationDate, 5);
    const off = await update({ tasks: [SVC_B], protectionEnabled: false });
    assert.deepEqual(off.protectedTasks, [{ taskArn: `${TASKS}/${SVC_B}`, protectionEnabled: false }]);
    const stored = await t.plane.store.get<TaskRecord>(Kind.Task, keys.task(CLUSTER, SVC_B));
    assert.deepEqual(stored?.value.protection, { enabled: false });
  });

  it('lists every service task of the cluster when tasks is omitted; expired protection reads as off', async () => {
    const got = await t.ecs.send(new GetTaskProtectionCommand({ cluster: CLUSTER }));
    const byId = new Map(got.protectedTasks?.map((p) => [p.taskArn?.split('/').pop(), p]));
    assert.deepEqual([...byId.keys()].sort(), [SVC_A, SVC_B, EXPIRED]);
    assert.equal(byId.get(SVC_A)?.protectionEnabled, true);
    assert.equal(byId.get(SVC_B)?.protectionEnabled, false);
    assert.deepEqual(byId.get(EXPIRED), { taskArn: `${TASKS}/${EXPIRED}`, protectionEnabled: false });
  });

  it('reports unknown tasks as MISSING and standalone tasks as TASK_NOT_VALID', async () => {
    const out = await update({ tasks: [UNKNOWN, `${TASKS}/${STANDALONE}`, SVC_A] });
    assert.deepEqual(out.failures, [
      { arn: `${TASKS}/${UNKNOWN}`, reason: 'MISSING' },
      { arn: `${TASKS}/${STANDALONE}`, reason: 'TASK_NOT_VALID' },
    ]);
    assert.deepEqual(
      out.protectedTasks?.map((p) => p.taskArn),
      [`${TASKS}/${SVC_A}`],
    );
    const got = await t.ecs.send(new GetTaskProtectionCommand({ cluster: CLUSTER, tasks: [UNKNOWN] }));
    assert.deepEqual(got.protectedTasks, []);
    assert.deepEqual(got.failures, [{ arn: `${TASKS}/${UNKNOWN}`, reason: 'MISSING' }]);
    const standalone = await t.plane.store.get<TaskRecord>(Kind.Task, keys.task(CLUSTER, STANDALONE));
    assert.equal(standalone?.value.protection, undefined);
  });

  it('validates its input', async () => {
    await invalid({ tasks: [] }, /Tasks cannot be empty/);
    await invalid({ tasks: Array.from({ length: 11 }, () => SVC_A) }, /at most 10/);
    await invalid({ expiresInMinutes: 0 }, /expiresInMinutes must be between 1 and 2880/);
    await invalid({ expiresInMinutes: 2881 }, /expiresInMinutes must be between 1 and 2880/);
    await invalid({ protectionEnabled: undefined }, /Value null at 'protectionEnabled'/);
    await invalid({ cluster: undefined }, /Value null at 'cluster'/);
    await invalid({ cluster: '' }, /cluster can not be blank/);
    const getNoCluster = await awsError(() =>
      t.ecs.send(new GetTaskProtectionCommand({ cluster: undefined as unknown as string })),
    );
    assert.equal(getNoCluster.name, 'InvalidParameterException');
    const tooMany = await awsError(() =>
      t.ecs.send(new GetTaskProtectionCommand({ cluster: CLUSTER, tasks: Array(101).fill(SVC_A) })),
    );
    assert.equal(tooMany.name, 'InvalidParameterException');
    const wrongCluster = await awsError(() => update({ cluster: 'nope' }));
    assert.equal(wrongCluster.name, 'ClusterNotFoundException');
  });
});
