/**
 * Where the task metadata endpoint listens and how containers reach it: 127.0.0.1 plus the ECS
 * link-local route (http://169.254.170.2, iptables DNAT), never 0.0.0.0; two agents on one host;
 * rules removed on stop and a killed agent's replaced, not duplicated; the Docker bridge address
 * where iptables is missing; a taken metadata port.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { Iptables, RULE_TAG } from '../../src/agent/endpoints/iptables.ts';
import type { MetadataEndpointInfo } from '../../src/agent/endpoints/metadata-server.ts';
import {
  assignment,
  ensureDocker,
  instanceArn,
  startEngine,
  type TestEngine,
  taskLogs,
  uniqueId,
} from './docker-helpers.ts';

const LINK_LOCAL_URL = /^http:\/\/169\.254\.170\.2(:\d+)?$/;
const CHILD = new URL('./fixtures/engine-child.ts', import.meta.url).pathname;
const iptables = new Iptables();

/**
 * Fetches the container's own metadata with BusyBox nc (BusyBox wget crashed on 169.254.170.2 in
 * one try on these machines), polling until the agent reports it RUNNING; prints the JSON body.
 */
const PROBE = [
  'u=$ECS_CONTAINER_METADATA_URI_V4; hp=$(echo $u | sed -e "s,^http://,," -e "s,/.*,,");',
  'path=$(echo $u | sed "s,^http://[^/]*,,"); host=$(echo $hp | sed "s/:.*//");',
  'port=$(echo $hp | sed -n "s/.*://p"); test -n "$port" || port=80;',
  'for i in $(seq 1 50); do',
  '  body=$(printf "GET $path HTTP/1.0\\r\\nHost: $hp\\r\\n\\r\\n" | timeout 3 nc $host $port | grep "^{");',
  '  case "$body" in *\'"KnownStatus":"RUNNING"\'*) break;; esac; sleep 0.2;',
  'done; echo "$body"',
].join(' ');

/** Runs a probe task on `t` and returns the metadata JSON it read from inside its container. */
async function probe(
  t: TestEngine,
  networkMode: 'bridge' | 'host' = 'bridge',
): Promise<Record<string, unknown>> {
  const a = assignment('probe', [{ name: 'probe', memory: 32, command: ['sh', '-c', PROBE] }], {
    networkMode,
  });
  await t.engine.apply(a);
  await t.reports.status(a.taskArn, 'STOPPED', 40_000);
  const lines = await taskLogs(a.taskArn, (l) => l.some((x) => x.startsWith('probe: {')));
  const body = lines.find((l) => l.startsWith('probe: {'));
  assert.ok(body, `the container read no metadata; its output:\n${lines.join('\n')}`);
  return JSON.parse(body.slice('probe: '.length)) as Record<string, unknown>;
}

/** Addresses listening on `port` (TCP, IPv4), from /proc/net/tcp: `127.0.0.1`, `0.0.0.0` ... */
function listenersOn(port: number): string[] {
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  const out: string[] = [];
  for (const row of rows) {
    const [, local, , state] = row.trim().split(/\s+/);
    if (state !== '0A' || !local) continue;
    const [hex, portHex] = local.split(':');
    if (Number.parseInt(portHex, 16) !== port) continue;
    out.push([3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.'));
  }
  return out;
}

/** The Longshore rules (nat PREROUTING/OUTPUT, filter INPUT) whose owner key is `key`. */
async function rulesOf(key: string): Promise<string[]> {
  const chains = [
    ['nat', 'PREROUTING'],
    ['nat', 'OUTPUT'],
    ['filter', 'INPUT'],
  ] as const;
  const found: string[] = [];
  for (const [table, chain] of chains)
    for (const rule of await iptables.list(table, chain))
      if (rule.owner?.key === key) found.push(`${chain} ${rule.spec.join(' ')}`);
  return found;
}

function keyOf(arn: string): string {
  return createHash('sha256').update(arn).digest('hex').slice(0, 12);
}

async function withEndpoint(
  options: {
    port?: number;
    freePortIfTaken?: boolean;
    iptables?: string;
    containerInstanceArn?: string;
  } = {},
): Promise<{ t: TestEngine; info: MetadataEndpointInfo }> {
  let info: MetadataEndpointInfo | undefined;
  const { containerInstanceArn, ...endpoint } = options;
  const t = await startEngine({
    ...(containerInstanceArn ? { containerInstanceArn } : {}),
    metadataEndpoint: { port: 0, ...endpoint, onListening: (i) => (info = i) },
  });
  assert.ok(info, 'onListening was called');
  return { t, info };
}

describe('task metadata endpoint route', { concurrency: true, timeout: 120_000 }, () => {
  const engines: TestEngine[] = [];
  after(async () => {
    await Promise.all(engines.map((t) => t.dispose()));
  });

  test('containers read metadata at http://169.254.170.2, and nothing listens on 0.0.0.0', async () => {
    const { t, info } = await withEndpoint();
    engines.push(t);
    assert.match(info.url, LINK_LOCAL_URL, info.route);
    assert.deepEqual(info.listening, [`127.0.0.1:${info.port}`]);
    assert.deepEqual(listenersOn(info.port), ['127.0.0.1']);
    const bridge = await probe(t);
    assert.equal(bridge.Name, 'probe');
    assert.equal(bridge.KnownStatus, 'RUNNING');
    const host = await probe(t, 'host');
    assert.equal(host.KnownStatus, 'RUNNING');
    assert.notEqual(host.DockerId, bridge.DockerId);
  });

  test('two agents on one host: each serves its own containers, only one on port 80', async () => {
    const [a, b] = await Promise.all([withEndpoint(), withEndpoint()]);
    engines.push(a.t, b.t);
    assert.notEqual(a.info.url, b.info.url);
    const onPort80 = [a, b].filter(({ info }) => !/:\d+$/.test(info.url));
    assert.ok(onPort80.length <= 1, 'at most one of them serves 169.254.170.2:80');
    for (const { info } of [a, b]) {
      assert.match(info.url, LINK_LOCAL_URL, info.route);
      assert.deepEqual(listenersOn(info.port), ['127.0.0.1']);
    }
    const [fromA, fromB] = await Promise.all([probe(a.t), probe(b.t)]);
    assert.equal((fromA.Labels as Record<string, string>)['longshore.instance'], a.t.instanceArn);
    assert.equal((fromB.Labels as Record<string, string>)['longshore.instance'], b.t.instanceArn);
  });

  test('rules go when the agent stops; a killed agent’s are replaced at start, not duplicated', async () => {
    await ensureDocker();
    const arn = instanceArn(uniqueId());
    const key = keyOf(arn);
    const dataDir = await mkdtemp(join(tmpdir(), 'longshore-agent-'));
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, DATA_DIR: dataDir, INSTANCE_ARN: arn },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let installed: string[];
    try {
      for await (const line of createInterface({ input: child.stdout! }))
        if (JSON.parse(line).type === 'ready') break;
      installed = await rulesOf(key);
      // The guard, and 169.254.170.2:PORT in PREROUTING and OUTPUT (port 80 too if it was free).
      assert.ok(installed.length >= 3, `the agent installed its rules: ${installed.join('\n')}`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    assert.deepEqual(await rulesOf(key), installed, 'a killed agent leaves its rules behind');

    const { t } = await withEndpoint({ containerInstanceArn: arn });
    try {
      const again = await rulesOf(key);
      // Port 80 goes to whichever agent claims it first: agents of tests running alongside may
      // hold it at one start and not at the other, so those two rules are left out of the count.
      const own = (rules: string[]) => rules.filter((r) => !/--dport 80 /.test(r));
      assert.equal(
        own(again).length,
        own(installed).length,
        `replaced, not duplicated:\n${again.join('\n')}`,
      );
      assert.equal(new Set(again).size, again.length, `no rule twice:\n${again.join('\n')}`);
      assert.ok(
        again.every((r) => r.includes(`${RULE_TAG}:${key}:${process.pid}`)),
        again.join('\n'),
      );
    } finally {
      await t.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
    assert.deepEqual(await rulesOf(key), [], 'no rule left after a clean stop');
  });

  test('rules of an agent that died are removed by the next agent to start', async () => {
    const dead = spawnSync('true').pid;
    const spec = ['-d', '169.254.170.2/32', '-p', 'tcp', '-m', 'tcp', '--dport', '65000', '-m', 'comment'];
    const stale = [
      ...spec,
      '--comment',
      `${RULE_TAG}:0123456789ab:${dead}`,
      '-j',
      'REDIRECT',
      '--to-ports',
      '1',
    ];
    await iptables.append('nat', 'OUTPUT', stale);
    const { t } = await withEndpoint();
    engines.push(t);
    assert.deepEqual(await rulesOf('0123456789ab'), []);
  });

  test('without iptables: the Docker bridge address, never 0.0.0.0', async () => {
    const { t, info } = await withEndpoint({ iptables: '/nonexistent/iptables' });
    engines.push(t);
    const bridge = new URL(info.url).hostname;
    assert.match(bridge, /^\d+\.\d+\.\d+\.\d+$/);
    assert.notEqual(bridge, '0.0.0.0');
    assert.match(info.route, /Docker bridge address/);
    assert.deepEqual(info.listening, [`127.0.0.1:${info.port}`, `${bridge}:${info.port}`]);
    assert.deepEqual(listenersOn(info.port).sort(), ['127.0.0.1', bridge].sort());
    assert.equal((await probe(t)).KnownStatus, 'RUNNING');
  });

  test('a taken port: a free one when allowed (and said so), else an error naming the flag', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const { t, info } = await withEndpoint({ port: taken, freePortIfTaken: true });
      engines.push(t);
      assert.notEqual(info.port, taken);
      assert.equal(info.requestedPort, taken);
      const dataDir = await mkdtemp(join(tmpdir(), 'longshore-agent-'));
      await assert.rejects(
        startEngine({ dataDir, metadataEndpoint: { port: taken } }),
        new RegExp(`metadata port ${taken} is in use.*--metadata-port`),
      );
      await rm(dataDir, { recursive: true, force: true });
    } finally {
      blocker.close();
    }
  });
});
