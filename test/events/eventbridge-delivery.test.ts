/**
 * EventBridge delivery end to end, in process: PutEvents -> rule -> CloudWatch Logs target (the
 * event, and an input transformer), the stopped-task interception pattern delivering an aws.ecs
 * event to a log group and to an API destination on a local HTTP server (Basic auth, path, header
 * and query parameters, an input transformer), OAuth client credentials, a bus-to-bus target,
 * retries then failure (FailedInvocations), an unsupported target failing visibly, and a delivery
 * that survives a control-plane restart with the same event id.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { publishEvents } from '../../src/events/model/publish-events.ts';
import { systemClock, systemRng } from '../../src/core/system.ts';
import { Kind } from '../../src/store/store.ts';
import { TEST_CREDENTIALS, type TestPlane, startTestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/events`;
const groupArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server (127.0.0.1) that records requests and answers `status()`. */
async function hookServer(
  status: (req: Received) => number,
  token = 'tok-123',
): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      if (req.url?.startsWith('/token')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: token, expires_in: 3600 }));
        got.push(r);
        return;
      }
      got.push(r);
      res.writeHead(status(r)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function clients(t: TestPlane) {
  const opts = {
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  };
  return {
    eb: new EventBridgeClient(opts),
    logs: new CloudWatchLogsClient(opts),
    cw: new CloudWatchClient(opts),
  };
}

async function logMessages(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
): Promise<string[] | undefined> {
  try {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream }));
    return out.events?.length ? out.events.map((e) => e.message ?? '') : undefined;
  } catch {
    return undefined;
  }
}

describe('EventBridge delivery', () => {
  let t: TestPlane;
  let c: ReturnType<typeof clients>;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    c = clients(t);
  });
  after(async () => {
    await t.stop();
  });

  it('delivers PutEvents to a log group target, whole and transformed', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/events/orders' }));
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/events/orders-short' }));
    await c.eb.send(
      new PutRuleCommand({
        Name: 'orders',
        EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } }),
      }),
    );
    await c.eb.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [
          { Id: 'all', Arn: groupArn('/events/orders') },
          {
            Id: 'short',
            Arn: groupArn('/events/orders-short'),
            InputTransformer: {
              InputPathsMap: { id: '$.detail.id', total: '$.detail.total' },
              InputTemplate: '"order <id> totals <total>"',
            },
          },
        ],
      }),
    );
    const put = await c.eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-1', total: 250 }) },
          { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-2', total: 5 }) },
        ],
      }),
    );
    const [matched, unmatched] = put.Entries!.map((e) => e.EventId!);
    const messages = await waitFor('the log event', () => logMessages(c.logs, '/events/orders', matched!));
    const event = JSON.parse(messages[0]!);
    assert.equal(event.id, matched);
    assert.equal(event.source, 'shop');
    assert.equal(event['detail-type'], 'Order Placed');
    assert.equal(event.account, ACCOUNT);
    assert.equal(event.region, 'us-east-1');
    assert.deepEqual(event.detail, { id: 'o-1', total: 250 });
    assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const short = await waitFor('the transformed log event', () =>
      logMessages(c.logs, '/events/orders-short', matched!),
    );
    assert.deepEqual(short, ['"order o-1 totals 250"']);
    await t.plane.eventRules.get('us-east-1')!.idle();
    assert.equal(await logMessages(c.logs, '/events/orders', unmatched!), undefined);
    assert.deepEqual(await t.plane.store.list(Kind.EventDelivery), []);
  });

  it('intercepts stopped tasks: an aws.ecs event to a log group and an API destination with an input transformer', async () => {
    const hook = await hookServer(() => 200);
    try {
      await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/stopped' }));
      const conn = await c.eb.send(
        new CreateConnectionCommand({
          Name: 'hook-basic',
          AuthorizationType: 'BASIC',
          AuthParameters: {
            BasicAuthParameters: { Username: 'ops', Password: 'p4ss-secret' },
            InvocationHttpParameters: {
              HeaderParameters: [{ Key: 'x-conn-secret', Value: 'conn-header-secret', IsValueSecret: true }],
            },
          },
        }),
      );
      const dest = await c.eb.send(
        new CreateApiDestinationCommand({
          Name: 'stopped-hook',
          ConnectionArn: conn.ConnectionArn,
          InvocationEndpoint: `${hook.url}/tasks/*/stopped`,
          HttpMethod: 'POST',
        }),
      );
      const pattern = {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], stoppedReason: [{ prefix: 'Essential container' }] },
      };
      await c.eb.send(new PutRuleCommand({ Name: 'stopped-tasks', EventPattern: JSON.stringify(pattern) }));
      await c.eb.send(
        new PutTargetsCommand({
          Rule: 'stopped-tasks',
          Targets: [
            { Id: 'log', Arn: groupArn('/ecs/stopped') },
            {
              Id: 'hook',
              Arn: dest.ApiDestinationArn,
              RoleArn: ROLE,
              HttpParameters: {
                PathParameterValues: ['t-1'],
                HeaderParameters: { 'x-team': 'ops' },
                QueryStringParameters: { env: 'test' },
              },
              InputTransformer: {
                InputPathsMap: {
                  task: '$.detail.taskArn',
                  reason: '$.detail.stoppedReason',
                  group: '$.detail.group',
                },
                InputTemplate:
                  '{"task": <task>, "why": "stopped: <reason>", "group": <group>, "rule": <aws.events.rule-name>}',
              },
            },
          ],
        }),
      );
      const taskArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/default/abc`;
      const publish = (reason: string) =>
        t.plane.store.transact((tx) =>
          publishEvents(
            tx,
            { partition: { region: 'us-east-1', accountId: ACCOUNT }, clock: systemClock, rng: systemRng },
            [
              {
                source: 'aws.ecs',
                detailType: 'ECS Task State Change',
                detail: { taskArn, lastStatus: 'STOPPED', stoppedReason: reason, group: 'family:web' },
                resources: [taskArn],
              },
            ],
          ),
        );
      const [id] = await publish('Essential container in task exited');
      await publish('Task stopped by user');
      const got = await waitFor('the HTTP delivery', async () =>
        hook.got.length > 0 ? hook.got : undefined,
      );
      const req = got[0]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/tasks/t-1/stopped?env=test');
      assert.equal(req.headers.authorization, `Basic ${Buffer.from('ops:p4ss-secret').toString('base64')}`);
      assert.equal(req.headers['x-conn-secret'], 'conn-header-secret');
      assert.equal(req.headers['x-team'], 'ops');
      assert.deepEqual(JSON.parse(req.body), {
        task: taskArn,
        why: 'stopped: Essential container in task exited',
        group: 'family:web',
        rule: 'stopped-tasks',
      });
      const logged = await waitFor('the log event', () => logMessages(c.logs, '/ecs/stopped', id!));
      assert.equal(JSON.parse(logged[0]!).detail.taskArn, taskArn);
      await t.plane.eventRules.get('us-east-1')!.idle();
      assert.equal(hook.got.length, 1, 'the user-stopped task matched nothing');
    } finally {
      hook.server.close();
    }
  });

  it('authenticates with OAuth client credentials', async () => {
    const hook = await hookServer(() => 200, 'bearer-tok');
    try {
      const conn = await c.eb.send(
        new CreateConnectionCommand({
          Name: 'oauth',
          AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
          AuthParameters: {
            OAuthParameters: {
              ClientParameters: { ClientID: 'client-1', ClientSecret: 'client-secret-1' },
              AuthorizationEndpoint: `${hook.url}/token`,
              HttpMethod: 'POST',
              OAuthHttpParameters: {
                BodyParameters: [{ Key: 'scope', Value: 'events', IsValueSecret: false }],
              },
            },
          },
        }),
      );
      const dest = await c.eb.send(
        new CreateApiDestinationCommand({
          Name: 'oauth-hook',
          ConnectionArn: conn.ConnectionArn,
          InvocationEndpoint: `${hook.url}/in`,
          HttpMethod: 'PUT',
        }),
      );
      await c.eb.send(new PutRuleCommand({ Name: 'oauth-rule', EventPattern: '{"source":["oauth.app"]}' }));
      await c.eb.send(
        new PutTargetsCommand({
          Rule: 'oauth-rule',
          Targets: [{ Id: 'h', Arn: dest.ApiDestinationArn, RoleArn: ROLE, Input: '{"fixed":true}' }],
        }),
      );
      await c.eb.send(
        new PutEventsCommand({ Entries: [{ Source: 'oauth.app', DetailType: 'x', Detail: '{}' }] }),
      );
      const calls = await waitFor('the OAuth delivery', async () =>
        hook.got.some((r) => r.url === '/in') ? hook.got : undefined,
      );
      const tokenCall = calls.find((r) => r.url === '/token')!;
      assert.equal(
        tokenCall.headers.authorization,
        `Basic ${Buffer.from('client-1:client-secret-1').toString('base64')}`,
      );
      assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenCall.body)), {
        scope: 'events',
        grant_type: 'client_credentials',
      });
      const call = calls.find((r) => r.url === '/in')!;
      assert.equal(call.method, 'PUT');
      assert.equal(call.headers.authorization, 'Bearer bearer-tok');
      assert.equal(call.body, '{"fixed":true}');
    } finally {
      hook.server.close();
    }
  });

  it('forwards to another bus with the same event id', async () => {
    await c.eb.send(new CreateEventBusCommand({ Name: 'audit' }));
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/events/audit' }));
    await c.eb.send(new PutRuleCommand({ Name: 'to-audit', EventPattern: '{"source":["fwd.app"]}' }));
    await c.eb.send(
      new PutTargetsCommand({
        Rule: 'to-audit',
        Targets: [{ Id: 'bus', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/audit`, RoleArn: ROLE }],
      }),
    );
    await c.eb.send(
      new PutRuleCommand({
        Name: 'audit-log',
        EventBusName: 'audit',
        EventPattern: '{"source":["fwd.app"]}',
      }),
    );
    await c.eb.send(
      new PutTargetsCommand({
        Rule: 'audit-log',
        EventBusName: 'audit',
        Targets: [{ Id: 'log', Arn: groupArn('/events/audit') }],
      }),
    );
    const put = await c.eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'fwd.app', DetailType: 'x', Detail: '{"n":1}' }] }),
    );
    const id = put.Entries![0]!.EventId!;
    const logged = await waitFor('the forwarded event', () => logMessages(c.logs, '/events/audit', id));
    assert.equal(JSON.parse(logged[0]!).id, id);
  });

  it('retries a failing target within its retry policy, then counts a FailedInvocation; unsupported targets fail at once', async () => {
    const hook = await hookServer(() => 503);
    try {
      const conn = await c.eb.send(
        new CreateConnectionCommand({
          Name: 'failing',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'k-secret' } },
        }),
      );
      const dest = await c.eb.send(
        new CreateApiDestinationCommand({
          Name: 'failing',
          ConnectionArn: conn.ConnectionArn,
          InvocationEndpoint: `${hook.url}/fail`,
          HttpMethod: 'POST',
        }),
      );
      await c.eb.send(new PutRuleCommand({ Name: 'failing', EventPattern: '{"source":["fail.app"]}' }));
      await c.eb.send(
        new PutTargetsCommand({
          Rule: 'failing',
          Targets: [
            {
              Id: 'h',
              Arn: dest.ApiDestinationArn,
              RoleArn: ROLE,
              RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 },
              DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
            },
            { Id: 'lambda', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope` },
          ],
        }),
      );
      await c.eb.send(
        new PutEventsCommand({ Entries: [{ Source: 'fail.app', DetailType: 'x', Detail: '{}' }] }),
      );
      const stats = async (metric: string) => {
        await t.plane.eventRules.get('us-east-1')!.flushMetrics();
        const now = Date.now();
        const out = await c.cw.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/Events',
            MetricName: metric,
            Dimensions: [{ Name: 'RuleName', Value: 'failing' }],
            StartTime: new Date(now - 600_000),
            EndTime: new Date(now + 60_000),
            Period: 60,
            Statistics: ['Sum'],
          }),
        );
        return (out.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
      };
      await waitFor('both targets given up', async () =>
        (await stats('FailedInvocations')) === 2 ? true : undefined,
      );
      assert.equal(hook.got.length, 2, 'one invocation and one retry');
      assert.equal(hook.got[0]!.headers['x-key'], 'k-secret');
      assert.equal(await stats('InvocationsFailedToBeSentToDlq'), 1);
      assert.equal(await stats('Invocations'), 3);
      assert.deepEqual(await t.plane.store.list(Kind.EventDelivery), []);
    } finally {
      hook.server.close();
    }
  });
});

describe('EventBridge delivery across a restart', () => {
  it('keeps a pending delivery and delivers it after the restart with the same event id', async () => {
    let healthy = false;
    const hook = await hookServer(() => (healthy ? 200 : 500));
    let t = await startTestPlane({ controllers: false });
    try {
      let c = clients(t);
      const conn = await c.eb.send(
        new CreateConnectionCommand({
          Name: 'r',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'v' } },
        }),
      );
      const dest = await c.eb.send(
        new CreateApiDestinationCommand({
          Name: 'r',
          ConnectionArn: conn.ConnectionArn,
          InvocationEndpoint: `${hook.url}/r`,
          HttpMethod: 'POST',
        }),
      );
      await c.eb.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["restart.app"]}' }));
      await c.eb.send(
        new PutTargetsCommand({
          Rule: 'r',
          Targets: [{ Id: 'h', Arn: dest.ApiDestinationArn, RoleArn: ROLE }],
        }),
      );
      const put = await c.eb.send(
        new PutEventsCommand({ Entries: [{ Source: 'restart.app', DetailType: 'x', Detail: '{"k":1}' }] }),
      );
      const id = put.Entries![0]!.EventId!;
      await waitFor('a failed first attempt', async () => (hook.got.length >= 1 ? true : undefined));
      const pending = await waitFor('the delivery record', async () => {
        const list = await t.plane.store.list<{ attempts: number; event: { id: string } }>(
          Kind.EventDelivery,
        );
        return list.find((d) => d.value.attempts >= 1);
      });
      assert.equal(pending.value.event.id, id);
      const dataDir = t.dataDir;
      await t.stop({ keepData: true });
      healthy = true;
      t = await startTestPlane({ dataDir, controllers: false });
      c = clients(t);
      const ok = await waitFor('the delivery after the restart', async () => {
        const bodies = hook.got.map((r) => JSON.parse(r.body) as { id: string });
        return bodies.length >= 2 ? bodies : undefined;
      });
      assert.ok(
        ok.every((b) => b.id === id),
        'every attempt carries the same event id',
      );
      await waitFor('the record removed', async () =>
        (await t.plane.store.list(Kind.EventDelivery)).length === 0 ? true : undefined,
      );
    } finally {
      hook.server.close();
      await t.stop();
    }
  });
});
