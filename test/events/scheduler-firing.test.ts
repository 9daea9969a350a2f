/**
 * The schedules controller with an injected clock: rate and cron occurrences (across daylight
 * saving), flexible windows, start and end dates, at() with ActionAfterCompletion DELETE,
 * restarts that never fire an occurrence twice, missed occurrences, EventBridge and unsupported
 * targets, retries, and group deletion.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CreateScheduleInput } from '@aws-sdk/client-scheduler';
import type { MetricDatum } from '../../src/cloudwatch/model/metric-data.ts';
import { seededRng } from '../../src/core/clock.ts';
import type { Wire } from '../../src/core/wire.ts';
import { type Firing, SchedulesController } from '../../src/controllers/schedules/schedules-controller.ts';
import type { RunTaskPort } from '../../src/controllers/schedules/fire-target.ts';
import type { OutboxRecord } from '../../src/events/model/publish-events.ts';
import { createSchedule } from '../../src/events/scheduler/create-schedule.ts';
import { createScheduleGroup } from '../../src/events/scheduler/create-schedule-group.ts';
import { deleteScheduleGroup } from '../../src/events/scheduler/delete-schedule-group.ts';
import type { SchedulerContext } from '../../src/events/scheduler/scheduler-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../../src/store/store.ts';

const partition = { region: 'us-east-1', accountId: '000000000000' };
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/jobs';
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const request = { requestId: 'r', caller: {} as never, now: 0 };

/** A store, a settable clock, the handler context and a controller factory that records firings. */
function harness(start: string, store: Store = SqliteStore.open(':memory:')) {
  const clock = {
    ms: t(start),
    now() {
      return this.ms;
    },
  };
  const rng = seededRng('scheduler-test');
  const ctx: SchedulerContext = { partition, store, clock, rng };
  const fired: Firing[] = [];
  const runs: { region: string; clientToken?: string; startedBy?: string; group?: string; count?: number }[] =
    [];
  const metrics: MetricDatum[] = [];
  let runTaskBehaviour: 'ok' | 'no-capacity' | 'crash' = 'ok';
  const runTask: RunTaskPort = async (region, input) => {
    runs.push({
      region,
      clientToken: input.clientToken,
      startedBy: input.startedBy,
      group: input.group,
      count: input.count,
    });
    if (runTaskBehaviour === 'crash') throw new Error('process died before recording the firing');
    if (runTaskBehaviour === 'no-capacity') return { tasks: [], failures: [{ reason: 'RESOURCE:MEMORY' }] };
    return {
      tasks: [{ taskArn: `arn:aws:ecs:us-east-1:000000000000:task/jobs/${runs.length}` }],
      failures: [],
    };
  };
  const controller = () =>
    new SchedulesController({
      store,
      clock,
      rng,
      partition,
      runTask,
      publishMetrics: async (data) => {
        metrics.push(...data);
      },
      onFired: (f) => fired.push(f),
    });
  const create = (input: Partial<Wire<CreateScheduleInput>> & { Name: string }) =>
    createSchedule(
      ctx,
      {
        FlexibleTimeWindow: { Mode: 'OFF' },
        ScheduleExpression: 'rate(1 minute)',
        Target: {
          Arn: CLUSTER,
          RoleArn: ROLE,
          EcsParameters: { TaskDefinitionArn: 'job:1', Group: 'nightly' },
        },
        ...input,
      } as Wire<CreateScheduleInput>,
      request,
    );
  /** Moves the clock to `to` in steps of `stepMs`, running a pass at each. */
  const advance = async (c: SchedulesController, to: string, stepMs = 1000) => {
    for (let at = clock.ms; at <= t(to); at += stepMs) {
      clock.ms = at;
      await c.pass();
    }
    clock.ms = t(to);
  };
  return {
    store,
    clock,
    ctx,
    fired,
    runs,
    metrics,
    controller,
    create,
    advance,
    setRunTask: (b: typeof runTaskBehaviour) => {
      runTaskBehaviour = b;
    },
  };
}

const occurrences = (fired: Firing[], outcome: Firing['outcome'] = 'invoked') =>
  fired.filter((f) => f.outcome === outcome).map((f) => iso(f.occurrence));

describe('scheduler firing', () => {
  it('rate(1 minute) fires at creation and every minute after, with startedBy and group', async () => {
    const h = harness('2026-05-01T10:00:00Z');
    await h.create({ Name: 'every-minute' });
    const c = h.controller();
    await h.advance(c, '2026-05-01T10:03:30Z', 5000);
    assert.deepEqual(occurrences(h.fired), [
      '2026-05-01T10:00:00Z',
      '2026-05-01T10:01:00Z',
      '2026-05-01T10:02:00Z',
      '2026-05-01T10:03:00Z',
    ]);
    assert.ok(
      h.fired.every((f) => f.firedAt - f.occurrence < 5000),
      'each within one step of its time',
    );
    assert.deepEqual(
      h.runs.map((r) => [r.startedBy, r.group, r.count]),
      Array(4).fill(['chronos-schedule/every-minute', 'nightly', 1]),
    );
    assert.equal(new Set(h.runs.map((r) => r.clientToken)).size, 4, 'one client token per occurrence');
  });

  it('cron in America/New_York across the spring-forward night: 09:00 local before and after', async () => {
    const h = harness('2026-03-06T12:00:00Z');
    await h.create({
      Name: 'nine',
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
    await h.create({
      Name: 'half-two',
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
    const c = h.controller();
    await h.advance(c, '2026-03-10T14:00:00Z', 60_000);
    const byName = (name: string) =>
      h.fired.filter((f) => f.schedule.endsWith(name)).map((f) => iso(f.occurrence));
    assert.deepEqual(byName('/nine'), [
      '2026-03-06T14:00:00Z',
      '2026-03-07T14:00:00Z',
      '2026-03-08T13:00:00Z',
      '2026-03-09T13:00:00Z',
      '2026-03-10T13:00:00Z',
    ]);
    // 02:30 does not exist on 2026-03-08 in New York: skipped, as Scheduler documents.
    assert.deepEqual(byName('half-two'), [
      '2026-03-07T07:30:00Z',
      '2026-03-09T06:30:00Z',
      '2026-03-10T06:30:00Z',
    ]);
  });

  it('a flexible window delays each firing by a random amount within it, kept across a restart', async () => {
    const h = harness('2026-05-01T09:59:30Z');
    await h.create({
      Name: 'flex',
      ScheduleExpression: 'cron(0 * * * ? *)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    });
    const first = h.controller();
    await first.pass();
    const run = (await h.store.get<{ pending: { occurrence: number; fireAt: number } }>(
      Kind.SchedulerRun,
      'default/flex',
    ))!;
    const { occurrence, fireAt } = run.value.pending;
    assert.equal(iso(occurrence), '2026-05-01T10:00:00Z');
    assert.ok(
      fireAt >= occurrence && fireAt < occurrence + 15 * 60_000,
      `fire time ${iso(fireAt)} within the window`,
    );
    // A restart keeps the chosen time.
    const second = h.controller();
    await h.advance(second, '2026-05-01T13:00:00Z', 10_000);
    assert.equal(h.fired[0]?.occurrence, occurrence);
    assert.ok(h.fired[0]!.firedAt >= fireAt && h.fired[0]!.firedAt < fireAt + 10_000);
    const delays = h.fired.map((f) => f.firedAt - f.occurrence);
    assert.equal(h.fired.length, 3);
    assert.ok(delays.every((d) => d >= 0 && d < 15 * 60_000 + 10_000));
    assert.ok(
      new Set(delays.map((d) => Math.floor(d / 10_000))).size > 1,
      'delays differ between occurrences',
    );
  });

  it('fires only between StartDate and EndDate, then completes (NONE keeps, DELETE removes)', async () => {
    const h = harness('2026-05-01T00:00:00Z');
    const window = { StartDate: t('2026-05-01T01:00:00Z') / 1000, EndDate: t('2026-05-01T04:00:00Z') / 1000 };
    await h.create({ Name: 'keep', ScheduleExpression: 'rate(1 hour)', ...window });
    await h.create({
      Name: 'drop',
      ScheduleExpression: 'cron(30 * * * ? *)',
      ActionAfterCompletion: 'DELETE',
      ...window,
    });
    const c = h.controller();
    await h.advance(c, '2026-05-01T06:00:00Z', 60_000);
    const byName = (name: string) =>
      h.fired.filter((f) => f.schedule.endsWith(name)).map((f) => iso(f.occurrence));
    assert.deepEqual(byName('keep'), [
      '2026-05-01T01:00:00Z',
      '2026-05-01T02:00:00Z',
      '2026-05-01T03:00:00Z',
    ]);
    assert.deepEqual(byName('drop'), [
      '2026-05-01T01:30:00Z',
      '2026-05-01T02:30:00Z',
      '2026-05-01T03:30:00Z',
    ]);
    assert.ok(await h.store.get(Kind.SchedulerSchedule, 'default/keep'));
    assert.equal(
      (await h.store.get<{ completed?: boolean }>(Kind.SchedulerRun, 'default/keep'))?.value.completed,
      true,
    );
    assert.equal(await h.store.get(Kind.SchedulerSchedule, 'default/drop'), undefined);
  });

  it('at() fires once, and ActionAfterCompletion DELETE then removes the schedule', async () => {
    const h = harness('2026-05-01T00:00:00Z');
    await h.create({
      Name: 'once',
      ScheduleExpression: 'at(2026-05-01T12:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      ActionAfterCompletion: 'DELETE',
    });
    const c = h.controller();
    await h.advance(c, '2026-05-01T09:59:00Z', 60_000);
    assert.equal(h.fired.length, 0);
    await h.advance(c, '2026-05-01T10:05:00Z', 1000);
    assert.deepEqual(occurrences(h.fired), ['2026-05-01T10:00:00Z'], '12:00 in Berlin (UTC+2)');
    assert.equal(await h.store.get(Kind.SchedulerSchedule, 'default/once'), undefined);
    assert.equal(await h.store.get(Kind.SchedulerRun, 'default/once'), undefined);
  });

  it('a restart never fires one occurrence twice; a crash before recording replays the same client token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scheduler-restart-'));
    try {
      const path = join(dir, 'store.db');
      const h = harness('2026-05-01T10:00:00Z', SqliteStore.open(path));
      await h.create({ Name: 'job', ScheduleExpression: 'cron(* * * * ? *)' });
      const first = h.controller();
      h.clock.ms = t('2026-05-01T10:01:00Z');
      await first.pass();
      assert.deepEqual(occurrences(h.fired), ['2026-05-01T10:01:00Z']);
      // The process restarts within the same minute: the new controller does not fire 10:01 again.
      await h.store.close();
      const reopened = harness('2026-05-01T10:01:20Z', SqliteStore.open(path));
      const second = reopened.controller();
      await second.pass();
      assert.equal(reopened.fired.length, 0);
      // A crash between RunTask and the record of the firing: the retry sends the same token.
      reopened.setRunTask('crash');
      reopened.clock.ms = t('2026-05-01T10:02:00Z');
      await second.pass();
      reopened.setRunTask('ok');
      const third = reopened.controller();
      await third.pass();
      assert.deepEqual(occurrences(reopened.fired), ['2026-05-01T10:02:00Z']);
      assert.equal(reopened.runs.length, 2);
      assert.equal(reopened.runs[0]!.clientToken, reopened.runs[1]!.clientToken, 'RunTask dedupes by token');
      await third.pass();
      assert.equal(reopened.fired.length, 1);
      await reopened.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after downtime, only the latest missed occurrence within the event age fires', async () => {
    const h = harness('2026-05-01T00:00:00Z');
    await h.create({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' });
    const c = h.controller();
    await c.pass();
    h.clock.ms = t('2026-05-01T02:30:00Z');
    await c.pass();
    assert.deepEqual(occurrences(h.fired), ['2026-05-01T00:00:00Z', '2026-05-01T02:00:00Z']);
    h.clock.ms = t('2026-05-01T03:00:00Z');
    await c.pass();
    assert.deepEqual(occurrences(h.fired).at(-1), '2026-05-01T03:00:00Z');
  });

  it('an EventBridge bus target writes the event to the outbox in the firing transaction', async () => {
    const h = harness('2026-05-01T10:00:00Z');
    await h.create({
      Name: 'events',
      Target: {
        Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
        RoleArn: ROLE,
        Input: '{"job":"report"}',
        EventBridgeParameters: { Source: 'my.app', DetailType: 'Nightly Report' },
      },
    });
    await h.controller().pass();
    const outbox = await h.store.list<OutboxRecord>(Kind.EventOutbox);
    assert.equal(outbox.length, 1);
    const event = outbox[0]!.value.event;
    assert.equal(event.source, 'my.app');
    assert.equal(event['detail-type'], 'Nightly Report');
    assert.deepEqual(event.detail, { job: 'report' });
    assert.deepEqual(event.resources, ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/events']);
  });

  it('a target Longshore does not serve fails visibly: dropped at once, with AWS/Scheduler metrics', async () => {
    const h = harness('2026-05-01T10:00:00Z');
    await h.create({
      Name: 'to-sqs',
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:000000000000:jobs',
        RoleArn: ROLE,
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
      },
    });
    await h.controller().pass();
    assert.equal(h.fired.length, 1);
    assert.equal(h.fired[0]!.outcome, 'dropped');
    assert.match(h.fired[0]!.detail, /not served by Longshore/);
    const names = h.metrics
      .filter((m) => m.dimensions.length === 0)
      .map((m) => m.metricName)
      .sort();
    assert.deepEqual(names, [
      'InvocationAttemptCount',
      'InvocationsFailedToBeSentToDeadLetterCount',
      'TargetErrorCount',
    ]);
    assert.ok(
      h.metrics.some((m) => m.dimensions[0]?.name === 'ScheduleGroup' && m.dimensions[0].value === 'default'),
    );
  });

  it('RunTask that places nothing is retried with backoff, within MaximumRetryAttempts', async () => {
    const h = harness('2026-05-01T10:00:00Z');
    await h.create({
      Name: 'retry',
      ScheduleExpression: 'at(2026-05-01T10:00:00)',
      Target: {
        Arn: CLUSTER,
        RoleArn: ROLE,
        EcsParameters: { TaskDefinitionArn: 'job:1' },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      },
    });
    h.setRunTask('no-capacity');
    const c = h.controller();
    await h.advance(c, '2026-05-01T10:00:10Z', 500);
    assert.deepEqual(
      h.fired.map((f) => [f.attempt, f.outcome]),
      [
        [1, 'retrying'],
        [2, 'retrying'],
        [3, 'dropped'],
      ],
    );
    assert.equal(new Set(h.runs.map((r) => r.clientToken)).size, 3, 'a new token per attempt');
  });

  it('deleting a group is asynchronous: DELETING, then the controller removes it and its schedules', async () => {
    const h = harness('2026-05-01T10:00:00Z');
    await createScheduleGroup(h.ctx, { Name: 'batch' }, request);
    await h.create({ Name: 'a', GroupName: 'batch', State: 'DISABLED' });
    await h.create({ Name: 'b', GroupName: 'batch', State: 'DISABLED' });
    await deleteScheduleGroup(h.ctx, { Name: 'batch' }, request);
    assert.equal(
      (await h.store.get<{ state: string }>(Kind.SchedulerGroup, 'batch'))?.value.state,
      'DELETING',
    );
    await h.controller().pass();
    assert.equal(await h.store.get(Kind.SchedulerGroup, 'batch'), undefined);
    assert.deepEqual(await h.store.list(Kind.SchedulerSchedule, { prefix: 'batch/' }), []);
  });
});
