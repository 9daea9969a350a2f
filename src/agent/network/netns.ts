/**
 * A task's network namespace, as the agent plumbs it (what ECS's CNI plugins do for an ENI): the
 * pause container holds an empty namespace (Docker gives it only `lo`); the agent adds one veth
 * pair, the host end on the VPC bridge and the peer created directly in the namespace as `eth0`
 * with the ENI's MAC, then configures it from inside (`nsenter --net=/proc/<pid>/ns/net`: the
 * host's own binaries, acting on the namespace only). Two processes in all:
 *
 *   host:      ip link add <veth> master <bridge> up type veth peer name eth0 address <mac> netns <pid>
 *   namespace: iptables-restore (default deny or the task's firewall), then ip -batch:
 *              address/prefix on eth0, lo up, eth0 up, default route via the VPC router
 *
 * The firewall is in place before eth0 comes up, so the namespace never sees a packet unfiltered.
 * Everything lives in the namespace and dies with it; only the host end of the veth is on the host
 * (deleted with the namespace, or explicitly by deprovision).
 */
import { CommandError, type HostCommands, runCommand } from './commands.ts';

/** `-w`: wait for the xtables lock (dockerd and other agents take it) instead of failing. */
const LOCK_WAIT_SECONDS = '5';

/** What the task's `eth0` gets. */
export interface NamespaceLink {
  /** The pause container's process, whose namespace is the task's. */
  pid: number;
  /** The host end of the veth pair (on the bridge). */
  veth: string;
  bridge: string;
  macAddress: string;
  /** The ENI's address with the VPC range's prefix length: `10.201.16.10/16`. */
  address: string;
  /** The VPC router (the bridge's address): the default route. */
  gateway: string;
}

function netnsPath(pid: number): string {
  return `--net=/proc/${pid}/ns/net`;
}

/** Replaces the filter table of the namespace of process `pid` with `input` (iptables-restore syntax). */
export async function restoreFilterTable(pid: number, input: string, o: HostCommands = {}): Promise<void> {
  await runCommand(
    o.nsenter ?? 'nsenter',
    [netnsPath(pid), o.iptablesRestore ?? 'iptables-restore', '-w', LOCK_WAIT_SECONDS],
    input,
  );
}

/** The `ip -batch` run inside the namespace (pure). `replace`: repeating it changes nothing. */
export function namespaceBatch(link: NamespaceLink): string[] {
  return [
    `addr replace ${link.address} dev eth0`,
    'link set lo up',
    'link set eth0 up',
    `route replace default via ${link.gateway} dev eth0`,
  ];
}

/**
 * Gives the namespace its `eth0` on the bridge, then `firewall` (iptables-restore input), then
 * addresses and routes. Safe to repeat (a restart while provisioning): an existing veth of the
 * task is deleted and made again (no container of the task runs yet).
 */
export async function plumbNamespace(
  link: NamespaceLink,
  firewall: string,
  o: HostCommands = {},
): Promise<void> {
  const ip = o.ip ?? 'ip';
  const add = [
    ...['link', 'add', link.veth, 'master', link.bridge, 'up'],
    ...['type', 'veth', 'peer', 'name', 'eth0', 'address', link.macAddress, 'netns', String(link.pid)],
  ];
  await runCommand(ip, add).catch(async (error: unknown) => {
    if (!(error instanceof CommandError && /File exists/i.test(error.stderr))) throw error;
    await runCommand(ip, ['link', 'del', link.veth]);
    await runCommand(ip, add);
  });
  // One process in the namespace: the firewall on stdin, the ip batch as an argument.
  const script = `"$2" -w ${LOCK_WAIT_SECONDS} && printf '%s\\n' "$1" | "$3" -batch -`;
  const restore = o.iptablesRestore ?? 'iptables-restore';
  await runCommand(
    o.nsenter ?? 'nsenter',
    [netnsPath(link.pid), 'sh', '-c', script, 'sh', namespaceBatch(link).join('\n'), restore, ip],
    firewall,
  );
}
