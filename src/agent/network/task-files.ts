/**
 * Name resolution inside an awsvpc task: `/etc/resolv.conf` and `/etc/hosts`, written by the agent
 * and bind-mounted into every container of the task (engine/host-config.ts).
 *
 * Docker writes these files only for a container it networks itself; the pause container runs
 * with networking disabled (Docker's network setup is what made it slow, see pause-container.ts),
 * so the agent writes them as Docker would have: the host's resolv.conf without localhost
 * resolvers (unreachable from the task), Google's public resolvers if none is left, the task's
 * `dnsServers` and `dnsSearchDomains` instead when it has them; hosts with localhost and the
 * task's private DNS name at its address. The hostname itself is the pause container's (the
 * containers joining it take it from Docker).
 *
 * Files live under `<agent data dir>/awsvpc/<task id>/` from provisioning to deprovisioning.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the task's containers mount. */
export interface TaskFiles {
  resolvConf: string;
  hosts: string;
}

export interface ResolverInput {
  /** The host's resolv.conf text. */
  host: string;
  dnsServers: string[];
  dnsSearchDomains: string[];
}

/** Docker's fallback when the host has no resolver a container could reach. */
export const DEFAULT_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];
const HOST_RESOLV_CONF = '/etc/resolv.conf';
/** Where systemd-resolved keeps the real upstream servers when /etc/resolv.conf names its stub. */
const RESOLVED_UPSTREAM = '/run/systemd/resolve/resolv.conf';

function isLocalResolver(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '0.0.0.0';
}

/** The task's resolv.conf (pure). IPv6 resolvers are dropped too: the task has IPv4 only. */
export function resolvConfFor(input: ResolverInput): string {
  const servers: string[] = [];
  const search: string[] = [];
  const rest: string[] = [];
  for (const raw of input.host.split('\n')) {
    const line = raw.trim();
    const [key, ...values] = line.split(/\s+/);
    if (key === 'nameserver') {
      const address = values[0] ?? '';
      if (address && !isLocalResolver(address) && !address.includes(':')) servers.push(address);
    } else if (key === 'search' || key === 'domain') {
      search.push(...values);
    } else if (key === 'options') {
      rest.push(line);
    }
  }
  const nameservers = input.dnsServers.length
    ? input.dnsServers
    : servers.length
      ? servers
      : DEFAULT_NAMESERVERS;
  const domains = input.dnsSearchDomains.length ? input.dnsSearchDomains : [...new Set(search)];
  const lines = nameservers.map((s) => `nameserver ${s}`);
  if (domains.length) lines.push(`search ${domains.join(' ')}`);
  lines.push(...rest);
  return `${lines.join('\n')}\n`;
}

/** The task's /etc/hosts (pure): Docker's localhost lines and `<address> <fqdn> <short name>`. */
export function hostsFor(address: string, privateDnsName: string, hostname: string): string {
  const names = [...new Set([privateDnsName, hostname].filter(Boolean))].join(' ');
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    `${address}\t${names}`,
    '',
  ].join('\n');
}

/** The host's resolv.conf, or systemd-resolved's upstream one when the host's names only its stub. */
export async function hostResolvConf(): Promise<string> {
  const text = await readFile(HOST_RESOLV_CONF, 'utf8').catch(() => '');
  const servers = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
  if (servers.length > 0 && servers.every(isLocalResolver)) {
    const upstream = await readFile(RESOLVED_UPSTREAM, 'utf8').catch(() => undefined);
    if (upstream !== undefined) return upstream;
  }
  return text;
}

export function taskFilesDir(root: string, taskId: string): string {
  return join(root, taskId.replace(/[^A-Za-z0-9_-]/g, '_'));
}

/** Writes the task's files (in place: repeating it keeps the files any container already mounts). */
export async function writeTaskFiles(dir: string, resolvConf: string, hosts: string): Promise<TaskFiles> {
  await mkdir(dir, { recursive: true });
  const files = { resolvConf: join(dir, 'resolv.conf'), hosts: join(dir, 'hosts') };
  await Promise.all([writeFile(files.resolvConf, resolvConf), writeFile(files.hosts, hosts)]);
  return files;
}

export async function removeTaskFiles(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
