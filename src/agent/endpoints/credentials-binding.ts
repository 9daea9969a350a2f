/**
 * Which source addresses may read a task's role credentials: only the task's own network
 * namespace. Ids are unguessable (credentials-endpoint.ts), and on top of that a request must come
 * from the task itself, so an id leaked into a log does not hand the role to a neighbour:
 * - bridge (and default): the address of one of the task's containers on the Docker bridge;
 * - awsvpc: the task's ENI address (its namespace sends from it through the VPC bridge);
 * - host: the host itself (a loopback or local address): a host-mode task shares the host's
 *   namespace, so on ECS too its credentials are as reachable as the host's;
 * - none: nothing (no network, no endpoint).
 * Requests reach the agent through iptables DNAT, which keeps the source address. Pure.
 */
import { networkModeOf } from '../engine/task-limits.ts';
import type { TaskState } from '../engine/task-state.ts';

/** `yes`; `no`; `unknown` when a bridge container has started but its address is not recorded yet. */
export type SourceVerdict = 'yes' | 'no' | 'unknown';

/** `::ffff:172.17.0.5` -> `172.17.0.5`. */
export function plainAddress(remote: string): string {
  return remote.startsWith('::ffff:') ? remote.slice('::ffff:'.length) : remote;
}

export function sourceAllowed(
  task: Readonly<TaskState>,
  remoteAddress: string,
  hostAddresses: ReadonlySet<string>,
): SourceVerdict {
  const remote = plainAddress(remoteAddress);
  if (!remote) return 'no';
  switch (networkModeOf(task.assignment)) {
    case 'awsvpc':
      return task.assignment.eni?.privateIpv4Address === remote ? 'yes' : 'no';
    case 'host':
      return remote.startsWith('127.') || remote === '::1' || hostAddresses.has(remote) ? 'yes' : 'no';
    case 'none':
      return 'no';
    default: {
      if (task.containers.some((c) => c.ipv4Address === remote)) return 'yes';
      // Started a moment ago: the actor has not recorded the address Docker gave it yet.
      const pending = task.containers.some(
        (c) => c.runtimeId !== undefined && c.ipv4Address === undefined && c.known !== 'STOPPED',
      );
      return pending ? 'unknown' : 'no';
    }
  }
}
