/** Retention: events older than the group's retention are deleted by the sweeper; new ones stay. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { LogsRetentionController } from '../../src/controllers/logs-retention/logs-retention-controller.ts';
import { createLogGroup, createLogStream, putLogEvents } from '../../src/logs/model/index.ts';
import type { TestPlane } from '../support/control-plane.ts';
import { modelContext, startLogsPlane } from './logs-plane.ts';

const DAY = 24 * 3_600_000;

describe('CloudWatch Logs retention', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  let ctx: ReturnType<typeof modelContext>;
  let now = Date.now() - 10 * DAY;
  const clock = { now: () => now };
  before(async () => {
    ({ t, logs } = await startLogsPlane());
    ctx = modelContext(t, clock);
  });
  after(async () => {
    await ctx.events.close();
    logs.destroy();
    await t.stop();
  });

  it('deletes the events older than the retention, in batches, and nothing else', async () => {
    // Ten days ago (the model's clock): 12,000 events; today: 3.
    await createLogGroup(ctx, { logGroupName: 'ret/g' });
    await createLogStream(ctx, 'ret/g', 'old');
    await createLogStream(ctx, 'ret/g', 'new');
    for (let batch = 0; batch < 3; batch++) {
      await putLogEvents(ctx, {
        logGroupName: 'ret/g',
        logStreamName: 'old',
        logEvents: Array.from({ length: 4000 }, (_, i) => ({
          timestamp: now + batch * 4000 + i,
          message: `old ${i}`,
        })),
      });
    }
    now = Date.now();
    await putLogEvents(ctx, {
      logGroupName: 'ret/g',
      logStreamName: 'new',
      logEvents: [1, 2, 3].map((i) => ({ timestamp: now - 1000 + i, message: `new ${i}` })),
    });
    const sweeper = new LogsRetentionController({ store: ctx.store, clock, events: () => ctx.events });
    assert.equal(await sweeper.pass(), 0, 'no retention: nothing expires');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'ret/g', retentionInDays: 7 }));
    assert.equal(await sweeper.pass(), 12_000);
    const left = await logs.send(new FilterLogEventsCommand({ logGroupName: 'ret/g' }));
    assert.deepEqual(
      left.events?.map((e) => e.message),
      ['new 1', 'new 2', 'new 3'],
    );
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'ret/g' }));
    const old = streams.logStreams!.find((s) => s.logStreamName === 'old')!;
    assert.equal(old.storedBytes, 0);
    assert.equal(await sweeper.pass(), 0, 'a second pass finds nothing');
  });
});
