/** Every PutLogEvents rule: limits, order, the 24-hour span, too new / too old / expired events, missing group or stream. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsError, type TestPlane } from '../support/control-plane.ts';
import { startLogsPlane } from './logs-plane.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const G = 'put/g';
const S = 's';

describe('CloudWatch Logs PutLogEvents', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  let stream = 0;
  /** A fresh stream, so each case reads back only its own events. */
  const freshStream = async () => {
    const name = `${S}${stream++}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: G, logStreamName: name }));
    return name;
  };
  const stored = async (name: string) =>
    (
      await logs.send(new GetLogEventsCommand({ logGroupName: G, logStreamName: name, startFromHead: true }))
    ).events!.map((e) => e.message);
  before(async () => {
    ({ t, logs } = await startLogsPlane());
    await logs.send(new CreateLogGroupCommand({ logGroupName: G }));
  });
  after(async () => {
    logs.destroy();
    await t.stop();
  });

  it('stores a batch, ignores any sequence token and answers one', async () => {
    const name = await freshStream();
    const now = Date.now();
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: name,
        sequenceToken: 'whatever',
        logEvents: [
          { timestamp: now - 10, message: 'one' },
          { timestamp: now - 10, message: 'two' },
          { timestamp: now, message: 'three' },
        ],
      }),
    );
    assert.ok(out.nextSequenceToken);
    assert.equal(out.rejectedLogEventsInfo, undefined);
    assert.deepEqual(await stored(name), ['one', 'two', 'three']);
  });

  it('refuses a batch out of chronological order, storing nothing', async () => {
    const name = await freshStream();
    const now = Date.now();
    const e = await awsError(() =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: G,
          logStreamName: name,
          logEvents: [
            { timestamp: now, message: 'b' },
            { timestamp: now - 1, message: 'a' },
          ],
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'Log events in a single PutLogEvents request must be in chronological order.');
    assert.deepEqual(await stored(name), []);
  });

  it('refuses a batch spanning more than 24 hours', async () => {
    const name = await freshStream();
    const now = Date.now();
    const e = await awsError(() =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: G,
          logStreamName: name,
          logEvents: [
            { timestamp: now - DAY - 1000, message: 'a' },
            { timestamp: now, message: 'b' },
          ],
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(
      e.message,
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    assert.deepEqual(await stored(name), []);
  });

  it('counts 26 bytes per event against the 1,048,576-byte batch limit', async () => {
    const name = await freshStream();
    const now = Date.now();
    // 4 events of 262,118 bytes: exactly 1,048,576 with the overhead.
    const exact = Array.from({ length: 4 }, (_, i) => ({ timestamp: now + i, message: 'x'.repeat(262_118) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: name, logEvents: exact }));
    const over = exact.map((e, i) => ({ ...e, message: i === 0 ? `${e.message}é` : e.message }));
    const e = await awsError(() =>
      logs.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: name, logEvents: over })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'Upload too large: 1048578 bytes exceeds limit of 1048576');
    assert.equal((await stored(name)).length, 4);
  });

  it('takes 10,000 events and refuses 10,001', async () => {
    const name = await freshStream();
    const now = Date.now();
    const batch = Array.from({ length: 10_000 }, (_, i) => ({ timestamp: now, message: `m${i}` }));
    await logs.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: name, logEvents: batch }));
    const e = await awsError(() =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: G,
          logStreamName: name,
          logEvents: [...batch, { timestamp: now, message: 'one too many' }],
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /Member must have length less than or equal to 10000/);
  });

  it('rejects too-old and too-new events and stores the rest', async () => {
    const name = await freshStream();
    const now = Date.now();
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: name,
        logEvents: [
          { timestamp: now - 15 * DAY, message: 'old-1' },
          { timestamp: now - 14 * DAY - 60_000, message: 'old-2' },
          { timestamp: now - 1000, message: 'kept-1' },
          { timestamp: now, message: 'kept-2' },
          { timestamp: now + 2 * HOUR + 60_000, message: 'new-1' },
          { timestamp: now + 3 * HOUR, message: 'new-2' },
        ],
      }),
    );
    assert.deepEqual(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
    assert.deepEqual(await stored(name), ['kept-1', 'kept-2']);
  });

  it('rejects events older than the group retention as expired', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'put/retained' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'put/retained', retentionInDays: 1 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'put/retained', logStreamName: 's' }));
    const now = Date.now();
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'put/retained',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 3 * DAY, message: 'expired' },
          { timestamp: now - DAY - 60_000, message: 'expired too' },
          { timestamp: now, message: 'kept' },
        ],
      }),
    );
    assert.deepEqual(out.rejectedLogEventsInfo, { expiredLogEventEndIndex: 2 });
  });

  it('a batch entirely rejected stores nothing and is no error', async () => {
    const name = await freshStream();
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: name,
        logEvents: [{ timestamp: Date.now() + 5 * HOUR, message: 'future' }],
      }),
    );
    assert.deepEqual(out.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 0 });
    assert.deepEqual(await stored(name), []);
  });

  it('names the missing group or stream', async () => {
    const now = Date.now();
    let e = await awsError(() =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'nope',
          logStreamName: 's',
          logEvents: [{ timestamp: now, message: 'm' }],
        }),
      ),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified log group does not exist.');
    e = await awsError(() =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: G,
          logStreamName: 'nope',
          logEvents: [{ timestamp: now, message: 'm' }],
        }),
      ),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified log stream does not exist.');
    e = await awsError(() =>
      logs.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: 's0', logEvents: [] })),
    );
    assert.equal(e.name, 'InvalidParameterException');
  });
});
