/**
 * The load balancers' data plane must not slow the control plane: the API's latency (ECS
 * ListClusters, signed, one at a time at a fixed rate) measured alone, then while an ALB holds
 * 10,000 open client connections and 1,000 requests stuck on a target that never answers.
 *
 *   node_modules/.bin/node bench/lb-isolation-bench.ts [--idle 10000] [--stuck 1000] [--calls 1000]
 *
 * `longshore server` and a simulated agent (whose container instance is the ALB's instance
 * target, reached at 127.0.0.1) run as child processes; the stuck target is a TCP server in this
 * process that accepts and never answers. Everything is removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ECSClient,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  CreateClusterCommand,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { BENCH_CREDENTIALS, callEcs, fmt } from './support.ts';

const { values } = parseArgs({
  options: { idle: { type: 'string' }, stuck: { type: 'string' }, calls: { type: 'string' } },
});
const IDLE = Number(values.idle ?? 10_000);
const STUCK = Number(values.stuck ?? 1_000);
const CALLS = Number(values.calls ?? 1_000);
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const env = {
  ...process.env,
  LONGSHORE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
  LONGSHORE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
};

function spawnCli(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  return { child, output: () => out };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `calls` ListClusters, one at a time, 5 ms apart; latencies in ms, sorted. */
async function apiLatencies(endpoint: string, calls: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const res = await callEcs(endpoint, 'ListClusters', {});
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`ListClusters: ${res.status}`);
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-lb-isolation-'));
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  const stuckTarget = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  try {
    await new Promise<void>((r) => stuckTarget.listen(0, '127.0.0.1', r));
    const targetPort = (stuckTarget.address() as { port: number }).port;
    // No API throttling: the bench measures latency, not ECS's request quotas.
    const server = spawnCli(['server', '--port', '0', '--throttle', '0', '--data-dir', join(dir, 'cp')]);
    children.push(server.child);
    const endpoint = await until(
      'the control plane',
      async () => /endpoint:\s+(\S+)/.exec(server.output())?.[1],
    );
    const clients = {
      credentials: BENCH_CREDENTIALS,
      region: 'us-east-1',
      endpoint,
      maxAttempts: 1,
    };
    const ecs = new ECSClient(clients);
    const ec2 = new EC2Client(clients);
    const elb = new ElasticLoadBalancingV2Client(clients);
    await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
    const agent = spawnCli([
      'agent',
      '--runtime',
      'simulated',
      '--endpoint',
      endpoint,
      '--cluster',
      'default',
      '--data-dir',
      join(dir, 'agent'),
      '--metadata-port',
      '0',
    ]);
    children.push(agent.child);
    const instanceId = await until('the agent', async () => {
      const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'default' })))
        .containerInstanceArns;
      if (!arns?.length) return undefined;
      const d = await ecs.send(
        new DescribeContainerInstancesCommand({ cluster: 'default', containerInstances: arns }),
      );
      const i = d.containerInstances?.[0];
      return i?.agentConnected ? i.ec2InstanceId : undefined;
    });
    const vpc = (
      await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs?.[0].VpcId;
    const subnets = (
      await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc ?? ''] }] }))
    ).Subnets?.slice(0, 2).map((s) => s.SubnetId ?? '');
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'isolation', Subnets: subnets })))
      .LoadBalancers?.[0];
    const tg = (
      await elb.send(new CreateTargetGroupCommand({ Name: 'stuck', Protocol: 'HTTP', Port: 80, VpcId: vpc }))
    ).TargetGroups?.[0];
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb?.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 8089,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg?.TargetGroupArn }],
      }),
    );
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tg?.TargetGroupArn,
        Targets: [{ Id: instanceId, Port: targetPort }],
      }),
    );
    const listener = await until('the listener', async () => {
      const res = await callLongshore(endpoint);
      return res.listeners?.find((l) => l.hostPort)?.hostPort;
    });
    console.log(
      `control plane ${endpoint}; ALB listener 127.0.0.1:${listener}; stuck target 127.0.0.1:${targetPort}`,
    );

    await apiLatencies(endpoint, 100); // warm-up
    const alone = await apiLatencies(endpoint, CALLS);

    // Load: idle client connections, and requests that wait on the stuck target.
    const open = (request: boolean) =>
      new Promise<void>((resolve) => {
        const s = connect(listener, '127.0.0.1', () => {
          if (request) s.write(`GET /stuck HTTP/1.1\r\nHost: ${lb?.DNSName}\r\n\r\n`);
          resolve();
        });
        s.on('error', () => resolve());
        sockets.push(s);
      });
    const t0 = performance.now();
    for (let i = 0; i < IDLE; i += 500)
      await Promise.all(Array.from({ length: Math.min(500, IDLE - i) }, () => open(false)));
    for (let i = 0; i < STUCK; i += 200)
      await Promise.all(Array.from({ length: Math.min(200, STUCK - i) }, () => open(true)));
    console.log(
      `opened ${IDLE} idle connections and ${STUCK} stuck requests in ${fmt((performance.now() - t0) / 1000, 1)} s`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = await apiLatencies(endpoint, CALLS);

    console.log('');
    console.log('| API latency (ListClusters, ms) | p50 | p99 | max |');
    console.log('|---|---|---|---|');
    for (const [label, xs] of [
      ['control plane alone', alone],
      [`with ${IDLE} idle + ${STUCK} stuck LB connections`, loaded],
    ] as const) {
      console.log(
        `| ${label} | ${fmt(pct(xs, 50), 2)} | ${fmt(pct(xs, 99), 2)} | ${fmt(xs[xs.length - 1], 2)} |`,
      );
    }
    ecs.destroy();
    ec2.destroy();
    elb.destroy();
  } finally {
    for (const s of sockets) s.destroy();
    stuckTarget.close();
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** DescribeListenerAddresses (Longshore's API): where the listener listens. */
async function callLongshore(endpoint: string): Promise<{ listeners?: { hostPort?: number }[] }> {
  const { callLongshore: call } = await import('../src/cli/longshore-call.ts');
  return (await call('DescribeListenerAddresses', endpoint, 'us-east-1', {}, BENCH_CREDENTIALS)) as {
    listeners?: { hostPort?: number }[];
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
