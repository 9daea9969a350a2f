/**
 * StartLiveTail through @aws-sdk/client-cloudwatch-logs: the event stream's sessionStart, then
 * sessionUpdates carrying the events PutLogEvents stores from then on, filtered by the pattern
 * and the stream names; the request's errors; the session timeout (a route with a short session,
 * served by a bare HTTP server); and the event stream encoding itself.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { systemClock } from '../../src/agent/engine/defaults.ts';
import { decodeMessages, eventMessage, exceptionMessage } from '../../src/logs/live-tail/event-stream.ts';
import { liveTailRoute } from '../../src/logs/live-tail/live-tail-route.ts';
import { checkLiveTailRequest, sample } from '../../src/logs/live-tail/live-tail-session.ts';
import { createLogGroup } from '../../src/logs/model/groups.ts';
import { TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { modelContext, startLogsPlane } from './logs-plane.ts';

/** Live Tail's host prefix (`stream-`) cannot go in front of 127.0.0.1: clients turn it off. */
const tailClient = (endpoint: string) =>
  new CloudWatchLogsClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    disableHostPrefix: true,
  });

type StreamEvent = StartLiveTailResponseStream;

describe('StartLiveTail', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  let tail: CloudWatchLogsClient;
  let arn: string;
  before(async () => {
    ({ t, logs } = await startLogsPlane());
    tail = tailClient(t.plane.endpoint);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'other' }));
    for (const s of ['web/1', 'worker/1'])
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: s }));
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app' }));
    arn = out.logGroups?.[0]?.logGroupArn ?? '';
  });
  after(async () => {
    logs?.destroy();
    tail?.destroy();
    await t?.stop();
  });

  it('streams the events ingested after the start that match the pattern and the streams', async () => {
    const abort = new AbortController();
    const out = await tail.send(
      new StartLiveTailCommand({
        logGroupIdentifiers: [arn],
        logStreamNamePrefixes: ['web/'],
        logEventFilterPattern: 'ERROR',
      }),
      { abortSignal: abort.signal },
    );
    const stream = out.responseStream as AsyncIterable<StreamEvent>;
    const it = stream[Symbol.asyncIterator]();
    const first = (await it.next()).value as StreamEvent;
    assert.deepEqual(first.sessionStart?.logGroupIdentifiers, [arn]);
    assert.deepEqual(first.sessionStart?.logStreamNamePrefixes, ['web/']);
    assert.equal(first.sessionStart?.logEventFilterPattern, 'ERROR');
    assert.match(first.sessionStart?.sessionId ?? '', /^[0-9a-f-]{36}$/);
    const now = Date.now();
    const put = (stream: string, messages: string[]) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'app',
          logStreamName: stream,
          logEvents: messages.map((message, i) => ({ timestamp: now + i, message })),
        }),
      );
    await put('web/1', ['INFO fine', 'ERROR boom', 'ERROR again']);
    await put('worker/1', ['ERROR elsewhere']);
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'other', logStreamName: 'web/1' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'other',
        logStreamName: 'web/1',
        logEvents: [{ timestamp: now, message: 'ERROR in another group' }],
      }),
    );
    const got: NonNullable<NonNullable<StreamEvent['sessionUpdate']>['sessionResults']> = [];
    let updates = 0;
    const deadline = Date.now() + 5_000;
    while (got.length < 2 && Date.now() < deadline) {
      const next = (await it.next()).value as StreamEvent;
      if (!next.sessionUpdate) continue;
      updates++;
      assert.equal(next.sessionUpdate.sessionMetadata?.sampled, false);
      got.push(...(next.sessionUpdate.sessionResults ?? []));
    }
    assert.deepEqual(
      got.map((e) => [e.logGroupIdentifier, e.logStreamName, e.message, e.timestamp]),
      [
        [arn, 'web/1', 'ERROR boom', now + 1],
        [arn, 'web/1', 'ERROR again', now + 2],
      ],
    );
    assert.ok((got[0]?.ingestionTime ?? 0) >= now - 1_000);
    assert.ok(updates >= 1);
    // An update a second later, with nothing new: empty, as CloudWatch sends them.
    const idle = (await it.next()).value as StreamEvent;
    assert.deepEqual(idle.sessionUpdate?.sessionResults ?? [], []);
    abort.abort();
  });

  it('answers what CloudWatch Logs answers to a bad request', async () => {
    const fails = async (
      input: ConstructorParameters<typeof StartLiveTailCommand>[0],
      name: string,
      message?: RegExp,
    ) =>
      assert.rejects(tail.send(new StartLiveTailCommand(input)), (error: Error) => {
        assert.equal(error.name, name);
        if (message) assert.match(error.message, message);
        return true;
      });
    await fails(
      { logGroupIdentifiers: ['missing'] },
      'ResourceNotFoundException',
      /log group does not exist/,
    );
    await fails(
      { logGroupIdentifiers: ['app', 'other'], logStreamNames: ['web/1'] },
      'InvalidParameterException',
      /exactly one log group/,
    );
    await fails(
      { logGroupIdentifiers: ['app'], logStreamNames: ['web/1'], logStreamNamePrefixes: ['w'] },
      'InvalidParameterException',
      /mutually exclusive/,
    );
    await fails(
      { logGroupIdentifiers: ['app'], logEventFilterPattern: '{ $.x = ' },
      'InvalidParameterException',
      /Invalid filter pattern/,
    );
    await fails({ logGroupIdentifiers: [`${arn}:*`] }, 'InvalidParameterException', /wildcard/);
    await fails(
      { logGroupIdentifiers: [] },
      'InvalidParameterException',
      /length greater than or equal to 1/,
    );
  });
});

describe('Live Tail session limit', () => {
  let t: TestPlane;
  before(async () => {
    ({ t } = await startLogsPlane());
  });
  after(async () => {
    await t?.stop();
  });

  it('ends the stream with SessionTimeoutException', { timeout: 20_000 }, async () => {
    const ctx = modelContext(t, systemClock);
    await createLogGroup(ctx, { logGroupName: 'short' });
    const route = liveTailRoute({ logsContextFor: () => ctx, sessionMs: 2_500 });
    // The route alone (no gateway): the body as the gateway would hand it over.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        route
          .handle(req, res, { requestId: 'r-1', now: Date.now(), body: Buffer.concat(chunks) })
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = tailClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const out = await client.send(new StartLiveTailCommand({ logGroupIdentifiers: ['short'] }));
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const e of out.responseStream as AsyncIterable<StreamEvent>)
            seen.push(Object.keys(e).find((k) => e[k as keyof StreamEvent] !== undefined) ?? '');
        })(),
        (error: Error) => error.name === 'SessionTimeoutException',
      );
      assert.equal(seen[0], 'sessionStart');
      assert.ok(seen.filter((s) => s === 'sessionUpdate').length >= 2, seen.join(','));
    } finally {
      client.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await ctx.events.close();
    }
  });
});

describe('event stream encoding', () => {
  it('round-trips messages and checks their CRCs', () => {
    const data = Buffer.concat([
      eventMessage('sessionStart', { a: 1 }),
      exceptionMessage('SessionTimeoutException', 'late'),
    ]);
    const messages = decodeMessages(data);
    assert.deepEqual(messages[0]?.headers, {
      ':message-type': 'event',
      ':event-type': 'sessionStart',
      ':content-type': 'application/json',
    });
    assert.deepEqual(JSON.parse(messages[0]?.payload.toString() ?? ''), { a: 1 });
    assert.equal(messages[1]?.headers[':exception-type'], 'SessionTimeoutException');
    const bad = Buffer.from(data);
    bad[20] = (bad[20] ?? 0) ^ 0xff;
    assert.throws(() => decodeMessages(bad), /CRC/);
  });

  it('samples evenly and checks requests before any lookup', () => {
    assert.deepEqual(sample([1, 2, 3, 4, 5, 6], 3), [1, 3, 5]);
    assert.deepEqual(sample([1, 2], 3), [1, 2]);
    assert.throws(() => checkLiveTailRequest({}), /Member must not be null/);
    assert.throws(
      () => checkLiveTailRequest({ logGroupIdentifiers: Array.from({ length: 11 }, (_, i) => `g${i}`) }),
      /less than or equal to 10/,
    );
  });
});
