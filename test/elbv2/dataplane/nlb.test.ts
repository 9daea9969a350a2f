/** NLB listeners over loopback: TCP streams, TLS termination, UDP flows, PROXY protocol v2, a second NLB on a used port. */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { DataplaneConfig, LoadBalancerConfig } from '../../../src/elbv2/dataplane/config.ts';
import { type Dataplane, startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import { collect, forward, freePort, selfSignedCert, targetOf, tg, waitFor } from './support.ts';

const nlb = (arn: string, listeners: LoadBalancerConfig['listeners']): LoadBalancerConfig => ({
  arn,
  type: 'network',
  dnsName: `${arn}.elb.localhost`,
  idleTimeoutSeconds: 350,
  http2Enabled: false,
  listeners,
});

async function tcpEcho(name: string): Promise<{ server: Server; port: number; first: Buffer[] }> {
  const first: Buffer[] = [];
  const server = createServer((s) => {
    s.once('data', (d) => first.push(d));
    s.on('data', (d) => s.write(`${name}:${d}`));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, port: (server.address() as AddressInfo).port, first };
}

function exchange(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(message));
    s.once('data', (d) => {
      resolve(String(d));
      s.end();
    });
    s.on('error', reject);
  });
}

describe('NLB data plane', () => {
  let dp: Dataplane;
  let t1: Awaited<ReturnType<typeof tcpEcho>>;
  let t2: Awaited<ReturnType<typeof tcpEcho>>;
  let pp: Awaited<ReturnType<typeof tcpEcho>>;
  const udpTarget = createSocket('udp4');
  let udpPort: number;
  let reports: ReturnType<typeof collect>;
  let sharedPort: number;
  let config: DataplaneConfig;

  before(async () => {
    [t1, t2, pp] = await Promise.all([tcpEcho('t1'), tcpEcho('t2'), tcpEcho('pp')]);
    udpTarget.on('message', (m, r) => udpTarget.send(`udp:${m}:${r.port}`, r.port, r.address));
    await new Promise<void>((r) => udpTarget.bind(0, '127.0.0.1', r));
    udpPort = udpTarget.address().port;
    const certificate = await selfSignedCert();
    sharedPort = await freePort();
    dp = startDataplane({ udpIdleTimeoutMs: 200 });
    reports = collect(dp);
    config = {
      generation: 1,
      targetGroups: [
        tg('tcp', [targetOf({ name: 't1', port: t1.port }), targetOf({ name: 't2', port: t2.port })], {
          protocol: 'TCP',
        }),
        tg('udp', [targetOf({ name: 'u', port: udpPort })], { protocol: 'UDP' }),
        tg('pp', [targetOf({ name: 'pp', port: pp.port })], { protocol: 'TCP', proxyProtocolV2: true }),
      ],
      loadBalancers: [
        nlb('n1', [
          { arn: 'tcp', protocol: 'TCP', port: sharedPort, rules: [], defaultActions: [forward('tcp')] },
          { arn: 'tls', protocol: 'TLS', port: 0, rules: [], defaultActions: [forward('tcp')], certificate },
          { arn: 'udp', protocol: 'UDP', port: 0, rules: [], defaultActions: [forward('udp')] },
          { arn: 'pp', protocol: 'TCP', port: 0, rules: [], defaultActions: [forward('pp')] },
        ]),
        nlb('n2', [
          { arn: 'tcp2', protocol: 'TCP', port: sharedPort, rules: [], defaultActions: [forward('tcp')] },
        ]),
      ],
    };
    await dp.apply(config);
  });

  after(async () => {
    await dp.close();
    for (const t of [t1, t2, pp]) t.server.close();
    udpTarget.close();
  });

  it('pipes TCP connections to targets, spreading connections', async () => {
    const port = dp.hostPort('tcp') ?? 0;
    assert.equal(port, sharedPort);
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add(await exchange(port, 'hi'));
    assert.deepEqual([...answers].sort(), ['t1:hi', 't2:hi']);
  });

  it('gives a second NLB on a used port a free port of its own', () => {
    const other = reports.find((r) => r.type === 'listening' && r.listenerArn === 'tcp2');
    assert.ok(other?.type === 'listening' && other.hostPort !== sharedPort && other.hostPort > 0);
  });

  it('terminates TLS and forwards the plain stream', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect(
        { host: '127.0.0.1', port: dp.hostPort('tls') ?? 0, rejectUnauthorized: false },
        () => s.write('secret'),
      );
      s.once('data', (d) => {
        resolve(String(d));
        s.end();
      });
      s.on('error', reject);
    });
    assert.match(answer, /^t[12]:secret$/);
  });

  it('forwards UDP datagrams per flow and ends idle flows', async () => {
    const client = createSocket('udp4');
    const got: string[] = [];
    client.on('message', (m) => got.push(String(m)));
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
    const port = dp.hostPort('udp') ?? 0;
    client.send('one', port, '127.0.0.1');
    await waitFor(() => got.length === 1);
    client.send('two', port, '127.0.0.1');
    await waitFor(() => got.length === 2);
    const [p1, p2] = got.map((g) => g.split(':')[2]);
    assert.equal(p1, p2, 'one flow, one upstream socket');
    await new Promise((r) => setTimeout(r, 400));
    client.send('three', port, '127.0.0.1');
    await waitFor(() => got.length === 3);
    assert.notEqual(got[2].split(':')[2], p1, 'the idle flow ended; a new one began');
    client.close();
  });

  it('sends a PROXY protocol v2 header when the target group asks for it', async () => {
    const answer = await exchange(dp.hostPort('pp') ?? 0, 'x');
    assert.match(answer, /^pp:/);
    const head = await waitFor(() => pp.first[0]);
    assert.equal(head.subarray(0, 12).toString('hex'), '0d0a0d0a000d0a515549540a');
    assert.equal(head[12], 0x21);
    assert.equal(head[13], 0x11);
    assert.equal([...head.subarray(16, 20)].join('.'), '127.0.0.1');
    assert.equal(head.readUInt16BE(26), dp.hostPort('pp'));
  });

  it('keeps an open TCP flow across a config change, and serves TCP_UDP on one port', async () => {
    // A target answering TCP and UDP on the same port number.
    const both = createSocket('udp4');
    both.on('message', (m, r) => both.send(`both-udp:${m}`, r.port, r.address));
    await new Promise<void>((r) => both.bind(t1.port, '127.0.0.1', r));
    const flow = connect(dp.hostPort('tcp') ?? 0, '127.0.0.1');
    const replies: string[] = [];
    flow.on('data', (d) => replies.push(String(d)));
    await new Promise((r) => flow.once('connect', r));
    flow.write('before');
    await waitFor(() => replies.length === 1);
    const next: DataplaneConfig = structuredClone(config);
    next.generation = 2;
    next.targetGroups.push(tg('tu', [targetOf({ name: 'both', port: t1.port })], { protocol: 'TCP_UDP' }));
    next.loadBalancers.push(
      nlb('n3', [{ arn: 'tu', protocol: 'TCP_UDP', port: 0, rules: [], defaultActions: [forward('tu')] }]),
    );
    await dp.apply(next);
    try {
      flow.write('after');
      await waitFor(() => replies.length === 2);
      assert.match(replies[1], /^t[12]:after$/);
      const port = dp.hostPort('tu') ?? 0;
      assert.equal(await exchange(port, 'x'), 't1:x');
      const client = createSocket('udp4');
      const got = new Promise<string>((r) => client.once('message', (m) => r(String(m))));
      client.send('y', port, '127.0.0.1');
      assert.equal(await got, 'both-udp:y');
      client.close();
    } finally {
      flow.destroy();
      both.close();
    }
  });
});
