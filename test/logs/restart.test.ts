/** Log groups, streams and events survive a control-plane restart on the same data directory. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestPlane } from '../support/control-plane.ts';
import { logsClient } from './logs-plane.ts';

describe('CloudWatch Logs across a restart', () => {
  it('keeps groups, streams, events and stream statistics', async () => {
    const first = await startTestPlane({ controllers: false });
    const now = Date.now();
    let logs = logsClient(first.plane.endpoint);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'keep/g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'keep/g', logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'keep/g',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 1, message: 'before' },
          { timestamp: now, message: 'restart' },
        ],
      }),
    );
    logs.destroy();
    await first.stop({ keepData: true });

    const second = await startTestPlane({ controllers: false, dataDir: first.dataDir });
    logs = logsClient(second.plane.endpoint);
    try {
      const got = await logs.send(
        new GetLogEventsCommand({ logGroupName: 'keep/g', logStreamName: 's', startFromHead: true }),
      );
      assert.deepEqual(
        got.events?.map((e) => e.message),
        ['before', 'restart'],
      );
      const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'keep/g' }));
      assert.equal(streams.logStreams![0]!.lastEventTimestamp, now);
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'keep/g', logStreamName: 't' }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'keep/g',
          logStreamName: 't',
          logEvents: [{ timestamp: now, message: 'after' }],
        }),
      );
      const t = await logs.send(new GetLogEventsCommand({ logGroupName: 'keep/g', logStreamName: 't' }));
      assert.deepEqual(
        t.events?.map((e) => e.message),
        ['after'],
      );
    } finally {
      logs.destroy();
      await second.stop();
    }
  });
});
