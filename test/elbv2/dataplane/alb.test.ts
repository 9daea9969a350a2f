/** ALB listeners over real loopback sockets: rules, actions, headers, errors, keep-alive, stickiness, sharing a port by Host. */
import assert from 'node:assert/strict';
import { Agent, createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DataplaneConfig } from '../../../src/elbv2/dataplane/config.ts';
import { type Dataplane, startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import {
  alb,
  collect,
  forward,
  freePort,
  get,
  listener,
  type TestTarget,
  startTarget,
  targetOf,
  tg,
  waitFor,
} from './support.ts';

describe('ALB data plane', () => {
  let dp: Dataplane;
  let a: TestTarget;
  let b: TestTarget;
  let c: TestTarget;
  let port: number;
  let config: DataplaneConfig;

  before(async () => {
    [a, b, c] = await Promise.all([startTarget('a'), startTarget('b'), startTarget('c')]);
    dp = startDataplane();
    config = {
      generation: 1,
      targetGroups: [
        tg('tg-ab', [targetOf(a), targetOf(b)]),
        tg('tg-c', [targetOf(c)]),
        tg('tg-empty', []),
        tg('tg-sticky', [targetOf(a), targetOf(b)], {
          stickiness: { type: 'lb_cookie', durationSeconds: 60 },
        }),
      ],
      loadBalancers: [
        alb('lb-1', [
          listener(
            'l-1',
            0,
            [forward('tg-ab')],
            [
              {
                arn: 'r-api',
                priority: 10,
                conditions: [{ field: 'path-pattern', values: ['/api/*'] }],
                actions: [forward('tg-c')],
              },
              {
                arn: 'r-host',
                priority: 5,
                conditions: [{ field: 'host-header', values: ['*.example.com'] }],
                actions: [forward('tg-c')],
              },
              {
                arn: 'r-empty',
                priority: 20,
                conditions: [{ field: 'path-pattern', values: ['/empty'] }],
                actions: [forward('tg-empty')],
              },
              {
                arn: 'r-sticky',
                priority: 21,
                conditions: [{ field: 'path-pattern', values: ['/sticky*'] }],
                actions: [forward('tg-sticky')],
              },
              {
                arn: 'r-fixed',
                priority: 30,
                conditions: [
                  { field: 'http-request-method', values: ['DELETE'] },
                  { field: 'query-string', values: [{ key: 'v', value: 'x*' }] },
                ],
                actions: [
                  {
                    type: 'fixed-response',
                    statusCode: '418',
                    contentType: 'text/plain',
                    messageBody: 'teapot',
                  },
                ],
              },
              {
                arn: 'r-redirect',
                priority: 40,
                conditions: [{ field: 'http-header', headerName: 'X-Go', values: ['away'] }],
                actions: [
                  {
                    type: 'redirect',
                    protocol: 'HTTPS',
                    host: '#{host}',
                    port: '443',
                    path: '/new/#{path}',
                    query: '#{query}&r=1',
                    statusCode: 'HTTP_301',
                  },
                ],
              },
              {
                arn: 'r-src',
                priority: 50,
                conditions: [{ field: 'source-ip', values: ['10.0.0.0/8'] }],
                actions: [forward('tg-empty')],
              },
            ],
          ),
        ]),
      ],
    };
    await dp.apply(config);
    port = dp.hostPort('l-1') ?? 0;
    assert.ok(port > 0);
  });

  after(async () => {
    await dp.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('forwards by rule priority, alternating between targets of the default group', async () => {
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await get(port, '/x')).body);
    assert.deepEqual(bodies.sort(), ['a', 'a', 'b', 'b']);
    assert.equal((await get(port, '/api/v1')).body, 'c');
    assert.equal((await get(port, '/x', { headers: { host: 'shop.example.com' } })).body, 'c');
    // `*.example.com` needs a dot before example.com.
    assert.notEqual((await get(port, '/x', { headers: { host: 'example.com' } })).body, 'c');
  });

  it('adds X-Forwarded-For (appended), -Proto, -Port and a trace id; keeps a client trace id', async () => {
    c.requests.length = 0;
    await get(port, '/api/h', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    const h = c.requests[0].headers;
    assert.equal(h['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(h['x-forwarded-proto'], 'http');
    assert.equal(h['x-forwarded-port'], String(port));
    assert.match(String(h['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const epoch = Number.parseInt(String(h['x-amzn-trace-id']).slice(7, 15), 16);
    assert.ok(Math.abs(epoch - Date.now() / 1000) < 60);
    await get(port, '/api/h', { headers: { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' } });
    assert.match(
      String(c.requests[1].headers['x-amzn-trace-id']),
      /^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-5759e988-bd862e3fe1be46a994272793$/,
    );
  });

  it('answers fixed-response and redirect actions with #{...} substitution', async () => {
    const fixed = await get(port, '/x?v=XYZ', { method: 'DELETE' });
    assert.equal(fixed.status, 418);
    assert.equal(fixed.body, 'teapot');
    assert.equal(fixed.headers['content-type'], 'text/plain');
    assert.notEqual((await get(port, '/x?v=abc', { method: 'DELETE' })).status, 418);
    const moved = await get(port, '/a/b?q=1', { headers: { 'x-go': 'AWAY', host: 'site.test' } });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, 'https://site.test/new/a/b?q=1&r=1');
    assert.equal(moved.headers.server, 'awselb/2.0');
  });

  it('gives 503 for a target group with no targets, with ALB body', async () => {
    const r = await get(port, '/empty');
    assert.equal(r.status, 503);
    assert.match(r.body, /503 Service Temporarily Unavailable/);
    assert.equal(r.headers.server, 'awselb/2.0');
  });

  it('gives 463 when X-Forwarded-For holds 30 addresses or more', async () => {
    const xff = Array.from({ length: 30 }, (_, i) => `10.0.0.${i}`).join(', ');
    assert.equal((await get(port, '/x', { headers: { 'x-forwarded-for': xff } })).status, 463);
  });

  it('reuses keep-alive connections to targets', async () => {
    const ports = new Set<number>();
    c.handler = (req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('c');
    };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 20; i++) await get(port, '/api/k', { agent });
    agent.destroy();
    assert.equal(ports.size, 1, `target saw ${ports.size} connections for 20 sequential requests`);
  });

  it('keeps a client on its target with lb_cookie stickiness (AWSALB and AWSALBCORS)', async () => {
    const first = await get(port, '/sticky');
    const cookies = (first.headers['set-cookie'] ?? []) as string[];
    assert.ok(cookies.some((c) => c.startsWith('AWSALB=')));
    assert.ok(cookies.some((c) => c.startsWith('AWSALBCORS=') && /SameSite=None; Secure/.test(c)));
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    for (let i = 0; i < 6; i++)
      assert.equal((await get(port, '/sticky', { headers: { cookie } })).body, first.body);
  });

  it('sends to the target with the fewest outstanding requests (least_outstanding_requests)', async () => {
    let release = () => {};
    const slowA = new Promise<void>((r) => {
      release = r;
    });
    const original = a.handler;
    a.handler = (req, res) => {
      if (req.url === '/lor-hold') void slowA.then(() => res.end('a'));
      else original(req, res);
    };
    const dp7 = startDataplane();
    await dp7.apply({
      generation: 1,
      targetGroups: [tg('lor', [targetOf(a), targetOf(b)], { algorithm: 'least_outstanding_requests' })],
      loadBalancers: [alb('lb7', [listener('l7', 0, [forward('lor')])])],
    });
    const p = dp7.hostPort('l7') ?? 0;
    try {
      // Until one request is held by a (b answers at once): send them one at a time.
      const held: Promise<unknown>[] = [];
      const holding = () => a.requests.some((r) => r.url === '/lor-hold');
      for (let i = 0; i < 6 && !holding(); i++) {
        let settled = false;
        held.push(get(p, '/lor-hold').finally(() => (settled = true)));
        await waitFor(() => holding() || settled);
      }
      assert.ok(holding());
      // a has one outstanding request, b none: every new request goes to b.
      for (let i = 0; i < 4; i++) assert.equal((await get(p, '/x')).body, 'b');
      release();
      await Promise.all(held);
    } finally {
      a.handler = original;
      await dp7.close();
    }
  });

  it('keeps a client on its target with app_cookie stickiness once the target set its cookie', async () => {
    const original = b.handler;
    b.handler = (_req, res) => {
      res.writeHead(200, { 'set-cookie': 'SESSION=1; Path=/' });
      res.end('b');
    };
    const dp8 = startDataplane();
    await dp8.apply({
      generation: 1,
      targetGroups: [
        tg('app', [targetOf(a), targetOf(b)], {
          stickiness: { type: 'app_cookie', durationSeconds: 60, cookieName: 'SESSION' },
        }),
      ],
      loadBalancers: [alb('lb8', [listener('l8', 0, [forward('app')])])],
    });
    const p = dp8.hostPort('l8') ?? 0;
    try {
      let cookie = '';
      for (let i = 0; i < 4 && !cookie; i++) {
        const r = await get(p, '/');
        const set = (r.headers['set-cookie'] ?? []) as string[];
        const app = set.find((c) => c.startsWith('AWSALBAPP-0='));
        if (app) cookie = `SESSION=1; ${app.split(';')[0]}`;
      }
      assert.ok(cookie, 'AWSALBAPP-0 issued with the application cookie');
      for (let i = 0; i < 5; i++) assert.equal((await get(p, '/', { headers: { cookie } })).body, 'b');
    } finally {
      b.handler = original;
      await dp8.close();
    }
  });

  it('splits a weighted forward by weight', async () => {
    const weighted: DataplaneConfig = structuredClone(config);
    weighted.generation = 2;
    weighted.loadBalancers[0].listeners[0].rules.push({
      arn: 'r-w',
      priority: 60,
      conditions: [{ field: 'path-pattern', values: ['/w'] }],
      actions: [
        {
          type: 'forward',
          targetGroups: [
            { targetGroupArn: 'tg-ab', weight: 0 },
            { targetGroupArn: 'tg-c', weight: 10 },
          ],
        },
      ],
    });
    await dp.apply(weighted);
    for (let i = 0; i < 10; i++) assert.equal((await get(port, '/w')).body, 'c');
  });

  it('keeps a client on its target group with target-group stickiness (AWSALBTG)', async () => {
    const next: DataplaneConfig = structuredClone(config);
    next.generation = 3;
    next.loadBalancers[0].listeners[0].rules.push({
      arn: 'r-gs',
      priority: 61,
      conditions: [{ field: 'path-pattern', values: ['/gs'] }],
      actions: [
        {
          type: 'forward',
          targetGroups: [
            { targetGroupArn: 'tg-ab', weight: 1 },
            { targetGroupArn: 'tg-c', weight: 1 },
          ],
          groupStickiness: { durationSeconds: 60 },
        },
      ],
    });
    await dp.apply(next);
    const first = await get(port, '/gs');
    const set = (first.headers['set-cookie'] ?? []) as string[];
    const tgCookie = set.find((c) => c.startsWith('AWSALBTG='));
    assert.ok(tgCookie && set.some((c) => c.startsWith('AWSALBTGCORS=')));
    const inC = first.body === 'c';
    for (let i = 0; i < 8; i++) {
      const r = await get(port, '/gs', { headers: { cookie: tgCookie.split(';')[0] } });
      assert.equal(r.body === 'c', inC);
    }
  });

  it('gives 502 when the target resets or answers garbage, 504 when it does not answer in the idle timeout', async () => {
    const garbage = createNetServer((s) => s.end('NOT HTTP AT ALL\r\n\r\n'));
    garbage.listen(0, '127.0.0.1');
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await Promise.all([
      new Promise((r) => garbage.once('listening', r)),
      new Promise((r) => silent.once('listening', r)),
    ]);
    const gPort = (garbage.address() as AddressInfo).port;
    const sPort = (silent.address() as AddressInfo).port;
    const dp2 = startDataplane();
    await dp2.apply({
      generation: 1,
      targetGroups: [
        tg('g', [targetOf({ name: 'g', port: gPort })]),
        tg('s', [targetOf({ name: 's', port: sPort })]),
        tg('x', [targetOf({ name: 'x', port: await freePort() })]),
      ],
      loadBalancers: [
        alb('lb-g', [listener('lg', 0, [forward('g')])]),
        alb('lb-s', [listener('ls', 0, [forward('s')])], { idleTimeoutSeconds: 1 }),
        alb('lb-x', [listener('lx', 0, [forward('x')])]),
      ],
    });
    try {
      assert.equal((await get(dp2.hostPort('lg') ?? 0)).status, 502);
      assert.equal((await get(dp2.hostPort('lx') ?? 0)).status, 502);
      const started = Date.now();
      const timedOut = await get(dp2.hostPort('ls') ?? 0);
      assert.equal(timedOut.status, 504);
      assert.match(timedOut.body, /504 Gateway Time-out/);
      assert.ok(Date.now() - started >= 900);
    } finally {
      await dp2.close();
      garbage.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('shares one port between ALBs by Host, and falls back to a free port when the port is taken', async () => {
    const shared = await freePort();
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const takenPort = (taken.address() as AddressInfo).port;
    const dp3 = startDataplane();
    const reports = collect(dp3);
    await dp3.apply({
      generation: 1,
      targetGroups: [tg('ta', [targetOf(a)]), tg('tb', [targetOf(b)])],
      loadBalancers: [
        alb('one', [
          listener('l-one', shared, [forward('ta')]),
          listener('l-one-b', takenPort, [forward('ta')]),
        ]),
        alb('two', [listener('l-two', shared, [forward('tb')])]),
      ],
    });
    try {
      assert.equal(dp3.hostPort('l-one'), shared);
      assert.equal(dp3.hostPort('l-two'), shared);
      assert.equal((await get(shared, '/', { headers: { host: 'one.us-east-1.elb.localhost' } })).body, 'a');
      assert.equal(
        (await get(shared, '/', { headers: { host: `two.us-east-1.elb.localhost:${shared}` } })).body,
        'b',
      );
      assert.equal((await get(shared, '/', { headers: { host: 'other' } })).status, 404);
      const fallback = reports.find((r) => r.type === 'listening' && r.listenerArn === 'l-one-b');
      assert.ok(fallback?.type === 'listening' && fallback.hostPort !== takenPort && fallback.hostPort > 0);
      assert.equal(fallback.hostAddress, '127.0.0.1');
      assert.equal((await get(fallback.hostPort, '/')).body, 'a');
    } finally {
      await dp3.close();
      taken.close();
    }
  });

  it('reports a listener that cannot listen (an HTTPS listener without a certificate)', async () => {
    const dp4 = startDataplane();
    const reports = collect(dp4);
    await dp4.apply({
      generation: 1,
      targetGroups: [],
      loadBalancers: [alb('l4', [listener('l4-s', 0, [forward('none')], [], { protocol: 'HTTPS' })])],
    });
    await dp4.close();
    const failed = reports.find((r) => r.type === 'listen-failed');
    assert.ok(failed?.type === 'listen-failed' && /certificate/.test(failed.message));
  });

  it('does not let a hung target hold up requests to other targets', async () => {
    const hung = createServer(() => {});
    hung.listen(0, '127.0.0.1');
    await new Promise((r) => hung.once('listening', r));
    const dp5 = startDataplane();
    await dp5.apply({
      generation: 1,
      targetGroups: [
        tg('h', [targetOf({ name: 'h', port: (hung.address() as AddressInfo).port })]),
        tg('ok', [targetOf(a)]),
      ],
      loadBalancers: [
        alb('lb5', [
          listener(
            'l5',
            0,
            [forward('ok')],
            [
              {
                arn: 'r',
                priority: 1,
                conditions: [{ field: 'path-pattern', values: ['/hang'] }],
                actions: [forward('h')],
              },
            ],
          ),
        ]),
      ],
    });
    const p = dp5.hostPort('l5') ?? 0;
    try {
      const hanging = Array.from({ length: 50 }, () => get(p, '/hang').catch(() => undefined));
      const started = Date.now();
      for (let i = 0; i < 20; i++) assert.equal((await get(p, '/fine')).body, 'a');
      assert.ok(Date.now() - started < 3000);
      void hanging;
    } finally {
      await dp5.close();
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('reports metrics per load balancer and per target group', async () => {
    const dp6 = startDataplane({ metricsIntervalMs: 200 });
    const reports = collect(dp6);
    await dp6.apply({
      generation: 1,
      targetGroups: [tg('m', [targetOf(a)])],
      loadBalancers: [
        alb('lb-m', [
          listener(
            'lm',
            0,
            [forward('m')],
            [
              {
                arn: 'r',
                priority: 1,
                conditions: [{ field: 'path-pattern', values: ['/none'] }],
                actions: [forward('nothing')],
              },
            ],
          ),
        ]),
      ],
    });
    try {
      const p = dp6.hostPort('lm') ?? 0;
      for (let i = 0; i < 3; i++) await get(p, '/');
      await get(p, '/none');
      // Counters are per interval: the four requests may straddle two reports, so they are summed.
      const samples = () => reports.flatMap((r) => (r.type === 'metrics' ? [r.sample] : []));
      const sum = <T>(
        pick: (s: ReturnType<typeof samples>[number]) => T | undefined,
        field: keyof T & string,
      ) =>
        samples().reduce(
          (n, s) => n + Number((pick(s) as Record<string, unknown> | undefined)?.[field] ?? 0),
          0,
        );
      const lbOf = (s: ReturnType<typeof samples>[number]) => s.loadBalancers.find((l) => l.arn === 'lb-m');
      const tgOf = (s: ReturnType<typeof samples>[number]) => s.targetGroups.find((t) => t.arn === 'm');
      await waitFor(
        () => sum(lbOf, 'requestCount') >= 4 && sum(lbOf, 'newConnectionCount') >= 4,
        5000,
        'metrics reports',
      );
      assert.equal(sum(lbOf, 'requestCount'), 4);
      assert.equal(sum(lbOf, 'httpCodeElb5xx'), 1);
      assert.equal(sum(lbOf, 'newConnectionCount'), 4);
      assert.equal(sum(tgOf, 'requestCount'), 3);
      assert.equal(sum(tgOf, 'httpCodeTarget2xx'), 3);
      assert.equal(sum(tgOf, 'targetResponseTimeCount'), 3);
      assert.equal(tgOf(samples()[samples().length - 1])?.healthyHostCount, 1);
    } finally {
      await dp6.close();
    }
  });
});
