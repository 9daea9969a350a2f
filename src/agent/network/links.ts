/**
 * Host network interfaces of awsvpc: the VPC bridges and the host ends of the tasks' veth pairs.
 * Existence and bridge ports are read from /sys (no process spawned); changes go through `ip`.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { CommandError, type HostCommands, runCommand } from './commands.ts';

/** Whether a network interface of that name exists in the host's namespace. */
export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/** The interfaces enslaved to `bridge` (none when the bridge does not exist). */
export async function bridgePorts(bridge: string): Promise<string[]> {
  return readdir(`/sys/class/net/${bridge}/brif`).catch(() => []);
}

/** Runs `ip -batch -` on the host: one process for any number of `ip` commands (stops at the first failure). */
export async function ipBatch(lines: string[], o: HostCommands = {}): Promise<void> {
  await runCommand(o.ip ?? 'ip', ['-batch', '-'], `${lines.join('\n')}\n`);
}

/** Deletes an interface (a veth's peer goes with it); one already gone is fine. */
export async function deleteLink(name: string, o: HostCommands = {}): Promise<void> {
  if (!linkExists(name)) return;
  await runCommand(o.ip ?? 'ip', ['link', 'del', name]).catch((error: unknown) => {
    if (!(error instanceof CommandError && /Cannot find device/i.test(error.stderr))) throw error;
  });
}

/** The IPv4 addresses on an interface, as `10.201.0.1/16`. */
export async function linkAddresses(name: string, o: HostCommands = {}): Promise<string[]> {
  const out = await runCommand(o.ip ?? 'ip', ['-j', '-4', 'addr', 'show', 'dev', name]);
  const links = JSON.parse(out || '[]') as { addr_info?: { local?: string; prefixlen?: number }[] }[];
  return links.flatMap((l) => (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`));
}
