/** Long-lived things through an ALB: draining, WebSocket, HTTPS with HTTP/2, and config changes that must not cut unrelated connections. */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect as h2connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { DataplaneConfig } from '../../../src/elbv2/dataplane/config.ts';
import { startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import {
  alb,
  collect,
  freePort,
  selfSignedCert,
  forward,
  get,
  listener,
  ManualTimers,
  type TestTarget,
  startTarget,
  targetOf,
  tg,
  waitFor,
} from './support.ts';

describe('ALB connections', () => {
  let a: TestTarget;
  let b: TestTarget;
  const certs: Record<string, Awaited<ReturnType<typeof selfSignedCert>>> = {};
  const selfSigned = (cn = 'localhost') => certs[cn];

  before(async () => {
    [a, b] = await Promise.all([startTarget('a'), startTarget('b')]);
    for (const cn of ['localhost', 'one', 'two']) certs[cn] = await selfSignedCert(cn);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('drains: the in-flight request finishes, new ones go elsewhere, `drained` once it is done', async () => {
    const timers = new ManualTimers();
    const dp = startDataplane({ clock: timers.clock, timers });
    const reports = collect(dp);
    let release = () => {};
    a.handler = (_req, res) => {
      release = () => res.end('a-slow');
    };
    const config: DataplaneConfig = {
      generation: 1,
      targetGroups: [tg('d', [targetOf(a), targetOf(b)], { deregistrationDelaySeconds: 30 })],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('d')])])],
    };
    await dp.apply(config);
    const port = dp.hostPort('l') ?? 0;
    try {
      // Round robin: the first request goes to a (held), the next to b.
      const slow = get(port, '/');
      await waitFor(() => a.requests.length === 1);
      const draining = structuredClone(config);
      draining.generation = 2;
      draining.targetGroups[0].targets[0].drainingSince = timers.now;
      await dp.apply(draining);
      assert.equal(dp.targetHealth('d')[0].state, 'draining');
      assert.equal(dp.targetHealth('d')[0].reason, 'Target.DeregistrationInProgress');
      for (let i = 0; i < 4; i++) assert.equal((await get(port, '/')).body, 'b');
      assert.ok(!reports.some((r) => r.type === 'drained'));
      release();
      assert.equal((await slow).body, 'a-slow');
      const drained = await waitFor(() => reports.find((r) => r.type === 'drained'));
      assert.deepEqual(drained, { type: 'drained', targetGroupArn: 'd', key: `a:${a.port}` });
    } finally {
      await dp.close();
      a.handler = (_req, res) => res.end('a');
    }
  });

  it('drains: after the deregistration delay the remaining connections are closed and `drained` is reported', async () => {
    const timers = new ManualTimers();
    const dp = startDataplane({ clock: timers.clock, timers });
    const reports = collect(dp);
    a.handler = () => {};
    const config: DataplaneConfig = {
      generation: 1,
      targetGroups: [
        tg('d', [targetOf(a, { drainingSince: timers.now + 1 })], { deregistrationDelaySeconds: 30 }),
      ],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('d')])])],
    };
    // Registered first (not draining), a hung request, then deregistered.
    const first = structuredClone(config);
    delete first.targetGroups[0].targets[0].drainingSince;
    await dp.apply(first);
    const port = dp.hostPort('l') ?? 0;
    try {
      a.requests.length = 0;
      const hung = get(port, '/').then(
        (r) => r.status,
        () => 'cut',
      );
      await waitFor(() => a.requests.length > 0);
      await dp.apply(config);
      timers.advance(29_000);
      assert.ok(!reports.some((r) => r.type === 'drained'));
      timers.advance(2_000);
      assert.ok(reports.some((r) => r.type === 'drained'));
      assert.equal(await hung, 'cut');
      assert.equal(
        (await get(port, '/')).status,
        503,
        'a group whose only target is draining has none to offer',
      );
    } finally {
      await dp.close();
      a.handler = (_req, res) => res.end('a');
      a.server.closeAllConnections();
    }
  });

  it('passes WebSocket upgrades through', async () => {
    const wss = new WebSocketServer({ server: b.server });
    wss.on('connection', (ws, req) => {
      ws.send(`hello ${req.headers['x-forwarded-for']}`);
      ws.on('message', (m) => ws.send(`echo ${m}`));
    });
    const dp = startDataplane();
    await dp.apply({
      generation: 1,
      targetGroups: [tg('w', [targetOf(b)])],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('w')])])],
    });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${dp.hostPort('l')}/chat`);
      const messages: string[] = [];
      ws.on('message', (m) => messages.push(String(m)));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      ws.send('ping');
      await waitFor(() => messages.length === 2);
      assert.deepEqual(messages, ['hello 127.0.0.1', 'echo ping']);
      ws.close();
    } finally {
      await dp.close();
      wss.close();
    }
  });

  it('serves HTTPS with HTTP/2 and HTTP/1.1 on the same listener, X-Forwarded-Proto https', async () => {
    const dp = startDataplane();
    const reports = collect(dp);
    await dp.apply({
      generation: 1,
      targetGroups: [tg('s', [targetOf(a)])],
      loadBalancers: [
        alb('lb', [listener('l', 0, [forward('s')], [], { protocol: 'HTTPS', certificate: selfSigned() })]),
      ],
    });
    const port = dp.hostPort('l') ?? 0;
    assert.ok(port > 0, JSON.stringify(reports));
    try {
      a.requests.length = 0;
      const session = h2connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
      const h2body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/h2', ':method': 'GET' });
        let data = '';
        req.setEncoding('utf8');
        req.on('data', (d) => {
          data += d;
        });
        req.on('end', () => resolve(data));
        req.on('error', reject);
        req.end();
      });
      session.close();
      assert.equal(h2body, 'a');
      assert.equal(a.requests[0].headers['x-forwarded-proto'], 'https');
      assert.equal(a.requests[0].headers.host, `127.0.0.1:${port}`);
      const h1body = await new Promise<string>((resolve, reject) => {
        httpsRequest({ host: '127.0.0.1', port, path: '/h1', rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (d) => {
            data += d;
          });
          res.on('end', () => resolve(data));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(h1body, 'a');
    } finally {
      await dp.close();
    }
  });

  it('passes WebSocket upgrades through an HTTPS listener (HTTP/1.1 on the HTTP/2 server)', async () => {
    const wss = new WebSocketServer({ server: b.server });
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`secure ${m}`)));
    const dp = startDataplane();
    await dp.apply({
      generation: 1,
      targetGroups: [tg('w', [targetOf(b)])],
      loadBalancers: [
        alb('lb', [listener('l', 0, [forward('w')], [], { protocol: 'HTTPS', certificate: selfSigned() })]),
      ],
    });
    try {
      const ws = new WebSocket(`wss://127.0.0.1:${dp.hostPort('l')}/chat`, { rejectUnauthorized: false });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const reply = new Promise<string>((r) => ws.once('message', (m) => r(String(m))));
      ws.send('hi');
      assert.equal(await reply, 'secure hi');
      ws.close();
    } finally {
      await dp.close();
      wss.close();
    }
  });

  it('shares an HTTPS port between ALBs: the certificate by SNI, the targets by Host', async () => {
    const port = await freePort();
    const dp = startDataplane();
    await dp.apply({
      generation: 1,
      targetGroups: [tg('ta', [targetOf(a)]), tg('tb', [targetOf(b)])],
      loadBalancers: [
        alb('one', [
          listener('l1', port, [forward('ta')], [], { protocol: 'HTTPS', certificate: selfSigned('one') }),
        ]),
        alb('two', [
          listener('l2', port, [forward('tb')], [], { protocol: 'HTTPS', certificate: selfSigned('two') }),
        ]),
      ],
    });
    const call = (name: string) =>
      new Promise<{ cn: string; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            servername: name,
            headers: { host: name },
            rejectUnauthorized: false,
            agent: false,
          },
          (res) => {
            const cn = String((res.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN);
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve({ cn, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      assert.equal(dp.hostPort('l1'), port);
      assert.equal(dp.hostPort('l2'), port);
      assert.deepEqual(await call('one.us-east-1.elb.localhost'), { cn: 'one', body: 'a' });
      assert.deepEqual(await call('two.us-east-1.elb.localhost'), { cn: 'two', body: 'b' });
    } finally {
      await dp.close();
    }
  });

  it('keeps connections of listeners and targets that did not change across a config change', async () => {
    const dp = startDataplane();
    const config: DataplaneConfig = {
      generation: 1,
      targetGroups: [tg('k', [targetOf(a)])],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('k')])])],
    };
    await dp.apply(config);
    const port = dp.hostPort('l') ?? 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const targetPorts = new Set<number>();
    a.handler = (req, res) => {
      targetPorts.add(req.socket.remotePort ?? 0);
      res.end('a');
    };
    try {
      const first = await get(port, '/', { agent });
      const next: DataplaneConfig = structuredClone(config);
      next.generation = 2;
      next.targetGroups.push(tg('k2', [targetOf(b)]));
      next.loadBalancers[0].listeners[0].rules.push({
        arn: 'r',
        priority: 1,
        conditions: [{ field: 'path-pattern', values: ['/new'] }],
        actions: [forward('k2')],
      });
      next.loadBalancers.push(alb('lb2', [listener('l2', 0, [forward('k2')])]));
      await dp.apply(next);
      assert.equal(dp.hostPort('l'), port);
      const second = await get(port, '/', { agent });
      assert.equal(second.socketPort, first.socketPort, 'the client connection survived');
      assert.equal(targetPorts.size, 1, 'the target connection survived');
      assert.equal(
        (await get(port, '/new', { agent })).body,
        'b',
        'the new rule applies on the same connection',
      );
    } finally {
      agent.destroy();
      await dp.close();
      a.handler = (_req, res) => res.end('a');
    }
  });
});
