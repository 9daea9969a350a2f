/**
 * What the multi-host cluster fault tests share (test/store/cluster-*.test.ts): "hosts" that are
 * network namespaces joined to this one by veth pairs, `longshore server` replicas and
 * `longshore agent --runtime simulated` processes, the leader lease's holder, and a cleanup that
 * always runs: every child process killed and awaited, every namespace (and with it its iptables
 * rules and the namespace end of its veth) and host end removed, also when the test fails or the
 * test process exits early.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { DescribeTasksCommand, type ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type pg from 'pg';
import { loadOrCreateKey } from '../../src/crypto/value-cipher.ts';
import { type CliProcess, type CliRun, spawnCli, startCli } from './spawn-cli.ts';

const run = promisify(execFile);

/** Root, `ip netns` and iptables: what a test with network namespaces needs. */
export const canNetns =
  process.getuid?.() === 0 &&
  spawnSync('ip', ['netns', 'list']).status === 0 &&
  spawnSync('iptables', ['--version']).status === 0;
export const NETNS_SKIP = 'needs root, ip netns and iptables';

/** A "host": a network namespace and the veth pair joining it to this one (a /30 of its own). */
export interface NetHost {
  ns: string;
  hostIf: string;
  nsIf: string;
  /** This namespace's end. */
  hostIp: string;
  /** The namespace's end. */
  nsIp: string;
}

/**
 * One host per name, named `<prefix><pid><name>` (short enough for interfaces: 15 characters) and
 * addressed `<net>.<n>.<4i>/30` with n from the pid, so runs in other processes do not collide.
 * Each test file uses a `prefix` and a `net` (`10.253`, ...) of its own.
 */
export function netHosts<N extends string>(
  prefix: string,
  net: string,
  names: readonly N[],
): Record<N, NetHost> {
  const tag = `${prefix}${process.pid % 100_000}`;
  const octet = (process.pid % 250) + 1;
  const out = {} as Record<N, NetHost>;
  names.forEach((name, i) => {
    out[name] = {
      ns: `${tag}${name}`,
      hostIf: `${tag}${name}h`,
      nsIf: `${tag}${name}n`,
      hostIp: `${net}.${octet}.${i * 4 + 1}`,
      nsIp: `${net}.${octet}.${i * 4 + 2}`,
    };
  });
  return out;
}

export const sh = (cmd: string, args: string[]) => run(cmd, args, { timeout: 15_000 });
export const inNs = (host: NetHost, args: string[]) => sh('ip', ['netns', 'exec', host.ns, ...args]);
/** The wrapper that runs a child process on `host` (spawnCli's `via`). */
export const onHost = (host: NetHost) => ['ip', 'netns', 'exec', host.ns];

async function addHost(host: NetHost): Promise<void> {
  await sh('ip', ['netns', 'add', host.ns]);
  await sh('ip', ['link', 'add', host.hostIf, 'type', 'veth', 'peer', 'name', host.nsIf]);
  await sh('ip', ['link', 'set', host.nsIf, 'netns', host.ns]);
  await sh('ip', ['addr', 'add', `${host.hostIp}/30`, 'dev', host.hostIf]);
  await sh('ip', ['link', 'set', host.hostIf, 'up']);
  await inNs(host, ['ip', 'addr', 'add', `${host.nsIp}/30`, 'dev', host.nsIf]);
  await inNs(host, ['ip', 'link', 'set', host.nsIf, 'up']);
  await inNs(host, ['ip', 'link', 'set', 'lo', 'up']);
}

/** Synchronous, so it also runs from an `exit` handler; deleting a namespace drops its rules. */
function removeHosts(hosts: readonly NetHost[]): void {
  for (const host of hosts) {
    spawnSync('ip', ['netns', 'del', host.ns], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', host.hostIf], { stdio: 'ignore' });
  }
}

/** Adds (`-A`) or deletes (`-D`) iptables rules in `host`'s namespace. */
export async function iptables(host: NetHost, op: '-A' | '-D', rules: readonly string[][]): Promise<void> {
  for (const rule of rules) await inNs(host, ['iptables', op, ...rule]);
}

export interface ClusterFixture {
  /** A temporary directory, removed at the end. */
  work: string;
  /** Started hosts (namespaces), removed at the end. */
  addHosts(...hosts: NetHost[]): Promise<void>;
  /** Child processes are killed with SIGKILL and awaited at the end. */
  track<P extends CliRun>(p: P): P;
  /** Runs at the end, after the processes are gone, last added first. */
  defer(cleanup: () => unknown): void;
  /**
   * Data directories for replicas that share the key files (docs/cluster-mode.md: copy
   * `<data dir>/keys/` to every replica).
   */
  replicaDirs<N extends string>(names: readonly N[]): Record<N, string>;
  /** `longshore server` on `store`, listening on `host` (default 127.0.0.1), run through `via`. */
  replica(dataDir: string, store: string, options?: { host?: string; via?: string[] }): Promise<CliProcess>;
  /** `longshore agent --runtime simulated` for `cluster`, given every endpoint in `endpoints`. */
  simAgent(name: string, endpoints: readonly string[], cluster: string, options?: { via?: string[] }): CliRun;
}

export function clusterFixture(t: TestContext, name: string): ClusterFixture {
  const work = mkdtempSync(join(tmpdir(), `longshore-${name}-`));
  const processes: CliRun[] = [];
  const hosts: NetHost[] = [];
  const cleanups: (() => unknown)[] = [];
  const killAll = () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  };
  const removeOurHosts = () => removeHosts(hosts);
  process.once('exit', killAll);
  process.once('exit', removeOurHosts);
  t.after(async () => {
    killAll();
    await Promise.all(
      processes.map((p) =>
        p.child.exitCode === null && p.child.signalCode === null
          ? new Promise((r) => p.child.once('exit', r))
          : undefined,
      ),
    );
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    removeOurHosts();
    process.removeListener('exit', killAll);
    process.removeListener('exit', removeOurHosts);
    rmSync(work, { recursive: true, force: true });
  });
  const track = <P extends CliRun>(p: P): P => {
    processes.push(p);
    return p;
  };
  return {
    work,
    async addHosts(...added) {
      hosts.push(...added);
      removeHosts(added); // leftovers of an earlier process with the same pid
      for (const host of added) await addHost(host);
    },
    track,
    defer: (cleanup) => cleanups.push(cleanup),
    replicaDirs(names) {
      const dirs = Object.fromEntries(names.map((n) => [n, join(work, n)])) as Record<
        (typeof names)[number],
        string
      >;
      const first = dirs[names[0]];
      for (const key of ['secrets.key', 'iam.key']) loadOrCreateKey(join(first, 'keys', key));
      for (const n of names.slice(1)) cpSync(join(first, 'keys'), join(dirs[n], 'keys'), { recursive: true });
      return dirs;
    },
    async replica(dataDir, store, options = {}) {
      const args = ['server', '--host', options.host ?? '127.0.0.1', '--port', '0', '--data-dir', dataDir];
      args.push('--store', store, '--throttle', '0', '--log-level', 'warn');
      // startCli kills a replica that does not become ready.
      return track(await startCli(args, {}, 20_000, options.via ?? []));
    },
    simAgent(agentName, endpoints, cluster, options = {}) {
      return track(
        spawnCli(
          [
            'agent',
            '--runtime',
            'simulated',
            '--endpoint',
            endpoints.join(','),
            '--cluster',
            cluster,
            '--data-dir',
            join(work, agentName),
            '--metadata-port',
            '0',
            '--cpu',
            '8192',
            '--memory',
            '16384',
          ],
          {},
          options.via ?? [],
        ),
      );
    },
  };
}

/** The pid in the holder of the live `controllers` lease (`host/pid/id`), if any. */
export async function leaseHolderPid(db: pg.Client): Promise<number | undefined> {
  const { rows } = await db.query<{ holder: string }>(
    `SELECT holder FROM longshore_leases WHERE name = 'controllers' AND expires_at > now()`,
  );
  return rows.length === 1 ? Number(rows[0].holder.split('/')[1]) : undefined;
}

/** The container instance ARN a `longshore agent` printed once registered. */
export function registeredArn(agent: CliRun): string | undefined {
  return /Longshore agent registered as (\S+)/.exec(agent.output())?.[1];
}

/** Each endpoint the agent's control channel connected to, in order ("control channel connected"). */
export function channelConnections(agent: CliRun): string[] {
  const out: string[] = [];
  for (const line of agent.output().split('\n')) {
    if (!line.includes('"control channel connected"')) continue;
    try {
      out.push((JSON.parse(line) as { endpoint: string }).endpoint);
    } catch {
      // another line that merely mentions it
    }
  }
  return out;
}

/** Every task of a service, RUNNING and STOPPED (up to 100 of each), described in one call. */
export async function serviceTasks(ecs: ECSClient, cluster: string, serviceName: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const out = await ecs.send(
      new ListTasksCommand({ cluster, serviceName, desiredStatus, maxResults: 100 }),
    );
    arns.push(...(out.taskArns ?? []));
  }
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
}
