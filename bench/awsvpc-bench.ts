/**
 * awsvpc task start and scale, through the whole stack (RunTask on the API -> the agent -> Docker):
 *
 *   node_modules/.bin/node bench/awsvpc-bench.ts [--runs 30] [--tasks 200]
 *
 * 1. RunTask -> RUNNING (the control plane's record) for an awsvpc task, a bridge task, and a
 *    plain `docker run -d` (dockerode create + start) of the same image, interleaved, p50/p99.
 * 2. `--tasks` awsvpc tasks on this one host: time for all to be RUNNING, address allocation time
 *    in the control plane (ENI create per task), host memory per task, time to stop them all and
 *    see every ENI released, and a leak check: pause containers, veth interfaces, network
 *    namespaces, host iptables rules and the VPC bridge, before vs after.
 *
 * Traffic stays on this host: the VPC is 10.250.0.0/16 on a local bridge.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import Dockerode from 'dockerode';
import { pino } from 'pino';
import { startDockerAgent } from '../src/cli/agent-command.ts';
import { startControlPlane } from '../src/cli/control-plane.ts';
import type { TaskRecord } from '../src/ecs/model/records.ts';
import { Kind } from '../src/store/store.ts';
import { BENCH_CREDENTIALS } from './support.ts';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const IMAGE = 'longshore-test/busybox:latest';
const COMMAND = ['sleep', '3600'];
const CLUSTER = 'bench';
/** Every wait is bounded. */
const TIMEOUT_MS = 120_000;

const { values } = parseArgs({ options: { runs: { type: 'string' }, tasks: { type: 'string' } } });
const RUNS = Number(values.runs ?? 30);
const TASKS = Number(values.tasks ?? 200);
const docker = new Dockerode();

function summary(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p99: at(99) };
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts/ensure-docker.sh')]);
  await run('bash', [join(ROOT, 'scripts/build-test-images.sh')]);
  const dataDir = await mkdtemp(join(tmpdir(), 'longshore-awsvpc-bench-'));
  const log = pino({ level: process.env.BENCH_LOG ?? 'warn' });
  const plane = await startControlPlane({
    dataDir: join(dataDir, 'plane'),
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials: { ...BENCH_CREDENTIALS, source: 'environment' },
    throttle: 0,
    motoReset: false,
    log,
  });
  const client = {
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
  };
  const ecs = new ECSClient(client);
  const ec2 = new EC2Client(client);
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const agent = await startDockerAgent({
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    dataDir: join(dataDir, 'agent'),
    values: { cluster: CLUSTER, 'metadata-port': '0', 'cleanup-wait': '1s' },
    log,
  });
  const before = await hostNetwork();
  // Status of every task as the control plane records it, from the store's change feed.
  const statusWaiters = new Map<string, { status: string; resolve: () => void }>();
  plane.ecs.changes.subscribe((change) => {
    if (change.kind !== 'task') return;
    const waiter = statusWaiters.get(change.key);
    if (!waiter) return;
    plane.ecs.store.get<TaskRecord>(Kind.Task, change.key).then((r) => {
      if (r?.value.task.lastStatus === waiter.status) waiter.resolve();
    });
  });
  const reach = (arn: string, status: string) =>
    new Promise<void>((resolve, reject) => {
      const key = `${CLUSTER}/${arn.split('/').pop()}`;
      const timer = setTimeout(() => reject(new Error(`${arn} not ${status} in time`)), TIMEOUT_MS);
      statusWaiters.set(key, {
        status,
        resolve: () => {
          clearTimeout(timer);
          statusWaiters.delete(key);
          resolve();
        },
      });
    });
  try {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.250.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId ?? '';
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.250.0.0/20', AvailabilityZone: 'us-east-1a' }),
    );
    const sg = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'bench', Description: 'bench', VpcId: vpcId }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const network = {
      awsvpcConfiguration: { subnets: [subnet.Subnet?.SubnetId ?? ''], securityGroups: [sg.GroupId ?? ''] },
    };
    const container = {
      name: 'app',
      image: IMAGE,
      command: COMMAND,
      memory: 16,
      essential: true,
      stopTimeout: 1,
    };
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vpc',
        networkMode: 'awsvpc',
        containerDefinitions: [container],
      }),
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'bridge', containerDefinitions: [container] }),
    );

    const runOne = async (family: 'vpc' | 'bridge'): Promise<{ ms: number; arn: string }> => {
      const t0 = performance.now();
      const out = await ecs.send(
        new RunTaskCommand({
          cluster: CLUSTER,
          taskDefinition: family,
          ...(family === 'vpc' ? { networkConfiguration: network } : {}),
        }),
      );
      const arn = out.tasks?.[0]?.taskArn;
      if (!arn) throw new Error(`RunTask placed nothing: ${JSON.stringify(out.failures)}`);
      await reach(arn, 'RUNNING');
      return { ms: performance.now() - t0, arn };
    };
    const dockerRun = async (): Promise<number> => {
      const t0 = performance.now();
      const c = await docker.createContainer({
        Image: IMAGE,
        Cmd: COMMAND,
        Labels: { 'longshore.bench': String(process.pid) },
        HostConfig: { Memory: 16 * 1024 * 1024 },
      });
      await c.start();
      return performance.now() - t0;
    };
    const stopAll = async (arns: string[]) => {
      await Promise.all(
        arns.map(async (arn) => {
          const stopped = reach(arn, 'STOPPED');
          await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
          await stopped;
        }),
      );
    };

    // 1. Start latency, interleaved.
    const warm = [await runOne('vpc'), await runOne('bridge')];
    await dockerRun();
    await stopAll(warm.map((w) => w.arn));
    const vpcMs: number[] = [];
    const bridgeMs: number[] = [];
    const dockerMs: number[] = [];
    const started: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const v = await runOne('vpc');
      const b = await runOne('bridge');
      vpcMs.push(v.ms);
      bridgeMs.push(b.ms);
      dockerMs.push(await dockerRun());
      started.push(v.arn, b.arn);
    }
    await stopAll(started);
    await removeBaseline();
    const [v, b, d] = [summary(vpcMs), summary(bridgeMs), summary(dockerMs)];
    console.log(`RunTask -> RUNNING, ${RUNS} sequential runs each, warm local image:`);
    console.log(`  awsvpc task          p50 ${fmt(v.p50)}  p99 ${fmt(v.p99)}`);
    console.log(`  bridge task          p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}`);
    console.log(`  docker create+start  p50 ${fmt(d.p50)}  p99 ${fmt(d.p99)}`);
    console.log(
      `  ratio awsvpc / docker p50 ${(v.p50 / d.p50).toFixed(2)}x (target <= 1.5x); awsvpc / bridge ${(v.p50 / b.p50).toFixed(2)}x`,
    );

    // 2. Many awsvpc tasks on one host.
    const memBefore = await memAvailableMiB();
    const t0 = performance.now();
    const arns: string[] = [];
    const running: Promise<void>[] = [];
    const allocMs: number[] = [];
    for (let i = 0; i < TASKS; i += 10) {
      const count = Math.min(10, TASKS - i);
      const a0 = performance.now();
      const out = await ecs.send(
        new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'vpc', count, networkConfiguration: network }),
      );
      allocMs.push((performance.now() - a0) / count);
      for (const task of out.tasks ?? []) {
        arns.push(task.taskArn ?? '');
        running.push(reach(task.taskArn ?? '', 'RUNNING'));
      }
      if ((out.failures ?? []).length > 0)
        throw new Error(`RunTask failures: ${JSON.stringify(out.failures)}`);
    }
    await Promise.all(running);
    const upMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2000));
    const memAfter = await memAvailableMiB();
    const mid = await hostNetwork();
    const s0 = performance.now();
    await stopAll(arns);
    await waitUntil(
      async () => (await hostNetwork()).pauseContainers === before.pauseContainers,
      'pause containers to go',
    );
    const downMs = performance.now() - s0;
    await waitUntil(
      async () => (await hostNetwork()).bridges === before.bridges,
      'the VPC bridge to go',
      15_000,
    ).catch(() => undefined);
    const after = await hostNetwork();
    const alloc = summary(allocMs);
    console.log(`${TASKS} awsvpc tasks on one host (10 per RunTask):`);
    console.log(
      `  all RUNNING after ${(upMs / 1000).toFixed(2)} s; RunTask per task (ENI + address allocation included) p50 ${fmt(alloc.p50)} p99 ${fmt(alloc.p99)}`,
    );
    console.log(
      `  host memory per running task ${((memBefore - memAfter) / TASKS).toFixed(2)} MiB (MemAvailable before/after)`,
    );
    console.log(
      `  while running: ${mid.veths - before.veths} more veths, ${mid.netns - before.netns} more network namespaces`,
    );
    console.log(`  stop all -> STOPPED and every pause container gone: ${(downMs / 1000).toFixed(2)} s`);
    console.log(`  leaks after: ${JSON.stringify(diff(before, after))} (all zero = nothing leaked)`);
  } finally {
    const instance = agent.containerInstanceArn;
    await agent.stop();
    await removeBaseline();
    // Stopped tasks' containers the agent had not cleaned up yet (its cleanup waits 1 s).
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`longshore.instance=${instance}`] },
    });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    ecs.destroy();
    ec2.destroy();
    await plane.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The `docker create + start` baseline containers (each holds a veth and a namespace until removed). */
async function removeBaseline(): Promise<void> {
  const left = await docker.listContainers({
    all: true,
    filters: { label: [`longshore.bench=${process.pid}`] },
  });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

interface HostNetwork {
  veths: number;
  netns: number;
  iptablesRules: number;
  bridges: number;
  pauseContainers: number;
}

/** What the host has that awsvpc tasks add: veth links, network namespaces, iptables rules, bridges, pause containers. */
async function hostNetwork(): Promise<HostNetwork> {
  const veths = (await run('ip', ['-o', 'link', 'show', 'type', 'veth'])).stdout;
  const bridges = (await run('ip', ['-o', 'link', 'show', 'type', 'bridge'])).stdout;
  const rules = (await run('iptables-save')).stdout.split('\n').filter((l) => l.startsWith('-A'));
  const namespaces = new Set<string>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ns = await readlink(`/proc/${pid}/ns/net`).catch(() => undefined);
    if (ns) namespaces.add(ns);
  }
  const pause = await docker.listContainers({ all: true, filters: { name: ['internalecspause'] } });
  return {
    veths: veths.split('\n').filter((l) => l.trim()).length,
    netns: namespaces.size,
    iptablesRules: rules.length,
    // The agent's VPC bridges are `lsv-<hash>` links.
    bridges: bridges.split('\n').filter((l) => /^\d+: lsv-/.test(l)).length,
    pauseContainers: pause.length,
  };
}

function diff(a: HostNetwork, b: HostNetwork): Record<string, number> {
  return Object.fromEntries(
    Object.keys(a).map((k) => [k, b[k as keyof HostNetwork] - a[k as keyof HostNetwork]]),
  );
}

async function memAvailableMiB(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8');
  return Number(/MemAvailable:\s+(\d+)/.exec(text)?.[1]) / 1024;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

await main();
