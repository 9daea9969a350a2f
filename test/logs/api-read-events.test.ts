/** GetLogEvents (tokens in both directions, time ranges) and FilterLogEvents (streams, patterns, paging). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsError, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { startLogsPlane } from './logs-plane.ts';

const G = 'read/g';

describe('CloudWatch Logs reading events', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  const base = Date.now() - 60 * 60_000;
  before(async () => {
    ({ t, logs } = await startLogsPlane());
    await logs.send(new CreateLogGroupCommand({ logGroupName: G }));
    for (const s of ['web-1', 'web-2', 'worker']) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: G, logStreamName: s }));
    }
    // web-1: 25 events one second apart; web-2 and worker: interleaved JSON and text.
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: 'web-1',
        logEvents: Array.from({ length: 25 }, (_, i) => ({
          timestamp: base + i * 1000,
          message: `${i % 5 === 0 ? 'ERROR' : 'INFO'} request ${i}`,
        })),
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: 'web-2',
        logEvents: [
          { timestamp: base + 500, message: JSON.stringify({ level: 'error', latency: 900 }) },
          { timestamp: base + 1500, message: JSON.stringify({ level: 'info', latency: 20 }) },
        ],
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: G,
        logStreamName: 'worker',
        logEvents: [{ timestamp: base + 2500, message: '10.0.0.1 GET /index.html 404 512' }],
      }),
    );
  });
  after(async () => {
    logs.destroy();
    await t.stop();
  });

  it('reads the newest events without a token and walks back and forth with f/ and b/ tokens', async () => {
    const get = (extra: object) =>
      logs.send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 'web-1', limit: 10, ...extra }));
    const newest = await get({});
    assert.deepEqual(
      newest.events?.map((e) => e.message?.split(' ')[2]),
      ['15', '16', '17', '18', '19', '20', '21', '22', '23', '24'],
    );
    assert.match(newest.nextForwardToken!, /^f\/\d{56}\/s$/);
    assert.match(newest.nextBackwardToken!, /^b\/\d{56}\/s$/);
    const older = await get({ nextToken: newest.nextBackwardToken });
    assert.deepEqual(
      older.events?.map((e) => e.message?.split(' ')[2]),
      ['5', '6', '7', '8', '9', '10', '11', '12', '13', '14'],
    );
    const oldest = await get({ nextToken: older.nextBackwardToken });
    assert.equal(oldest.events?.length, 5);
    const end = await get({ nextToken: oldest.nextBackwardToken });
    assert.deepEqual(end.events, []);
    assert.equal(end.nextBackwardToken, oldest.nextBackwardToken);
    // At the newest end the forward token comes back unchanged.
    const head = await get({ nextToken: newest.nextForwardToken });
    assert.deepEqual(head.events, []);
    assert.equal(head.nextForwardToken, newest.nextForwardToken);
    assert.equal(typeof newest.events![0]!.ingestionTime, 'number');
  });

  it('reads from the head and by time range', async () => {
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: G, logStreamName: 'web-1', startFromHead: true, limit: 3 }),
    );
    assert.deepEqual(
      head.events?.map((e) => e.timestamp),
      [base, base + 1000, base + 2000],
    );
    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: G,
        logStreamName: 'web-1',
        nextToken: head.nextForwardToken,
        limit: 3,
      }),
    );
    assert.deepEqual(
      next.events?.map((e) => e.timestamp),
      [base + 3000, base + 4000, base + 5000],
    );
    const range = await logs.send(
      new GetLogEventsCommand({
        logGroupName: G,
        logStreamName: 'web-1',
        startTime: base + 10_000,
        endTime: base + 13_000,
        startFromHead: true,
      }),
    );
    assert.deepEqual(
      range.events?.map((e) => e.timestamp),
      [base + 10_000, base + 11_000, base + 12_000],
    );
    const e = await awsError(() =>
      logs.send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 'web-1', nextToken: 'garbage' })),
    );
    assert.equal(e.name, 'InvalidParameterException');
  });

  it('filters across streams in time order with every kind of pattern', async () => {
    const filter = async (extra: object) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: G, ...extra }))).events!.map(
        (e) => e.message,
      );
    assert.equal((await filter({})).length, 28);
    assert.deepEqual(await filter({ filterPattern: 'ERROR' }), [
      'ERROR request 0',
      'ERROR request 5',
      'ERROR request 10',
      'ERROR request 15',
      'ERROR request 20',
    ]);
    assert.deepEqual(await filter({ filterPattern: '{ $.latency > 100 }' }), [
      '{"level":"error","latency":900}',
    ]);
    assert.deepEqual(await filter({ filterPattern: '[ip, method, path, status = 4*, bytes]' }), [
      '10.0.0.1 GET /index.html 404 512',
    ]);
    assert.deepEqual(await filter({ filterPattern: '?"request 3" ?"/index.html"' }), [
      '10.0.0.1 GET /index.html 404 512',
      'INFO request 3',
    ]);
    assert.deepEqual(await filter({ logStreamNames: ['web-2'] }), [
      '{"level":"error","latency":900}',
      '{"level":"info","latency":20}',
    ]);
    assert.equal((await filter({ logStreamNamePrefix: 'web' })).length, 27);
    assert.deepEqual(await filter({ startTime: base + 2000, endTime: base + 3000 }), [
      'INFO request 2',
      '10.0.0.1 GET /index.html 404 512',
      'INFO request 3',
    ]);
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: G, limit: 1 }))).events!;
    assert.equal(events[0]!.logStreamName, 'web-1');
    assert.match(events[0]!.eventId!, /^\d{56}$/);
  });

  it('takes the group by ARN, and keeps regions apart', async () => {
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:read/g';
    const byArn = await logs.send(
      new FilterLogEventsCommand({ logGroupIdentifier: arn, filterPattern: 'ERROR' }),
    );
    assert.equal(byArn.events?.length, 5);
    const get = await logs.send(
      new GetLogEventsCommand({
        logGroupIdentifier: `${arn}:*`,
        logStreamName: 'worker',
        startFromHead: true,
      }),
    );
    assert.equal(get.events?.length, 1);
    const both = await awsError(() =>
      logs.send(new FilterLogEventsCommand({ logGroupName: G, logGroupIdentifier: arn })),
    );
    assert.equal(both.name, 'InvalidParameterException');
    const west = new CloudWatchLogsClient({
      endpoint: t.plane.endpoint,
      region: 'us-west-2',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const e = await awsError(() => west.send(new FilterLogEventsCommand({ logGroupName: G })));
      assert.equal(e.name, 'ResourceNotFoundException');
      await west.send(new CreateLogGroupCommand({ logGroupName: G }));
      const empty = await west.send(new FilterLogEventsCommand({ logGroupName: G }));
      assert.deepEqual(empty.events, []);
    } finally {
      west.destroy();
    }
  });

  it('pages with nextToken until the last page', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 4 }, { logGroupName: G })) {
      pages += 1;
      for (const e of page.events ?? []) seen.push(e.message!);
    }
    assert.equal(seen.length, 28);
    assert.equal(new Set(seen).size, 28);
    assert.ok(pages >= 7);
  });

  it("answers CloudWatch's error for a malformed pattern and a missing group", async () => {
    let e = await awsError(() =>
      logs.send(new FilterLogEventsCommand({ logGroupName: G, filterPattern: '{ $.x = ' })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'Invalid filter pattern');
    e = await awsError(() => logs.send(new FilterLogEventsCommand({ logGroupName: 'nope' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    e = await awsError(() =>
      logs.send(
        new FilterLogEventsCommand({ logGroupName: G, logStreamNames: ['a'], logStreamNamePrefix: 'a' }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
  });
});
