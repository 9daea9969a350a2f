/** Shared setup for the awsvpc tests: ENIs in a test VPC, probes from the host and from inside tasks, leak checks. */
import { execFile } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { FirewallRule, TaskAssignment, TaskEni, TaskFirewall } from '../../src/core/agent-protocol.ts';
import { removeRulesOfMissingBridges } from '../../src/agent/network/bridge-rules.ts';
import { linkExists } from '../../src/agent/network/links.ts';
import { bridgeNameFor } from '../../src/agent/network/vpc-networks.ts';
import { assignment, docker, sleep } from './docker-helpers.ts';

const run = promisify(execFile);

export interface TestVpc {
  vpcId: string;
  cidr: string;
}

/** An ENI at `ip` in `subnetCidr` of `vpc`; the MAC is derived from the address (`0a:58:` + its octets). */
export function eniAt(vpc: TestVpc, ip: string, subnetCidr: string): TaskEni {
  const octets = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  const [base, prefix] = subnetCidr.split('/');
  const gateway = base.split('.').map(Number);
  gateway[3] += 1;
  return {
    attachmentId: `attach-${ip}`,
    networkInterfaceId: `eni-${octets.join('')}`,
    subnetId: `subnet-${base.replaceAll('.', '')}`,
    vpcId: vpc.vpcId,
    macAddress: `0a:58:${octets.join(':')}`,
    privateIpv4Address: ip,
    privateDnsName: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
    subnetCidr: `${base}/${prefix}`,
    subnetGatewayIpv4Address: gateway.join('.'),
    vpcCidr: vpc.cidr,
    vpcCidrs: [vpc.cidr],
    assignPublicIp: false,
  };
}

export function awsvpcAssignment(
  family: string,
  containers: (Partial<ContainerDefinition> & { name: string })[],
  eni: TaskEni | undefined,
  taskDefinition: Partial<TaskDefinition> = {},
): TaskAssignment {
  const a = assignment(family, containers, { networkMode: 'awsvpc', ...taskDefinition });
  return eni ? { ...a, eni } : a;
}

export const ALLOW_ALL_OUT: FirewallRule = { protocol: 'all', cidrs: ['0.0.0.0/0'] };

export function tcpIn(port: number, cidrs = ['0.0.0.0/0']): FirewallRule {
  return { protocol: 'tcp', fromPort: port, toPort: port, cidrs };
}

export function firewall(ingress: FirewallRule[], egress: FirewallRule[] = [ALLOW_ALL_OUT]): TaskFirewall {
  return { ingress, egress };
}

/** Tries a TCP connect from the host: `open`, `refused` (RST: reached, nothing listens) or `timeout` (dropped). */
export function tcpProbe(
  ip: string,
  port: number,
  timeoutMs = 1500,
): Promise<'open' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    const done = (result: 'open' | 'refused' | 'timeout') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'timeout'),
    );
  });
}

/** Polls `tcpProbe` until it gives `want` (a process may still be starting to listen). */
export async function waitForProbe(
  ip: string,
  port: number,
  want: 'open' | 'timeout',
  deadlineMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await tcpProbe(ip, port);
    if (last === want) return last;
    await sleep(200);
  }
  return last;
}

/** Runs `sh -c script` in a running container; stdout, or the error's text. */
export async function execIn(containerId: string, script: string, timeoutMs = 15_000): Promise<string> {
  try {
    const { stdout } = await run('docker', ['exec', containerId, 'sh', '-c', script], { timeout: timeoutMs });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}`;
  }
}

/** An HTTP GET from inside a container with BusyBox nc (prints the body's first JSON or text line). */
export function ncGet(host: string, port: number, path: string): string {
  return `printf "GET ${path} HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n" | timeout 3 nc ${host} ${port}`;
}

/** The pause containers of `taskArn` (any state). */
export async function pauseContainers(taskArn: string) {
  return docker.listContainers({
    all: true,
    filters: {
      label: [
        `com.amazonaws.ecs.task-arn=${taskArn}`,
        'com.amazonaws.ecs.container-name=~internal~ecs~pause',
      ],
    },
  });
}

/** What the VPC left on the host: its bridge, veths on it, host iptables rules naming it. */
export async function vpcLeftovers(vpcId: string): Promise<string[]> {
  const out: string[] = [];
  const bridge = bridgeNameFor(vpcId);
  const links = await run('ip', ['-o', 'link', 'show']).then((r) => r.stdout);
  for (const line of links.split('\n')) {
    if (line.includes(`${bridge}:`) || line.includes(`master ${bridge}`)) out.push(`link ${line.trim()}`);
  }
  const rules = await run('iptables-save').then((r) => r.stdout);
  for (const line of rules.split('\n')) if (line.includes(bridge)) out.push(`rule ${line}`);
  return out;
}

/** The host rules of the VPC's bridge (`longshore-vpc:<bridge>`), as iptables-save prints them. */
export async function vpcHostRules(vpcId: string): Promise<string[]> {
  const tag = `longshore-vpc:${bridgeNameFor(vpcId)}`;
  const rules = await run('iptables-save').then((r) => r.stdout);
  return rules.split('\n').filter((l) => l.includes(tag));
}

/** The network namespace of a running container's process (`net:[4026532182]`). */
export async function netnsOf(containerId: string): Promise<string> {
  const info = await docker.getContainer(containerId).inspect();
  return readlink(`/proc/${info.State.Pid}/ns/net`);
}

/** Whether any process still holds that namespace (the kernel frees it when none does). */
export async function netnsInUse(ns: string): Promise<boolean> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    if ((await readlink(`/proc/${pid}/ns/net`).catch(() => '')) === ns) return true;
  }
  return false;
}

/** Removes the VPC's bridge and its host rules if a failed test left them. */
export async function removeVpcBridge(vpcId: string): Promise<void> {
  const bridge = bridgeNameFor(vpcId);
  await run('ip', ['link', 'del', bridge]).catch(() => undefined);
  await removeRulesOfMissingBridges(linkExists, {}, bridge).catch(() => undefined);
}

/** Waits until `check` returns an empty list (cleanup is asynchronous in places), returning the last list. */
export async function settle(check: () => Promise<string[]>, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = await check();
  while (last.length > 0 && Date.now() < deadline) {
    await sleep(200);
    last = await check();
  }
  return last;
}
