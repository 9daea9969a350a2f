/** Host ports an instance has given out, split the way ECS limits them: reserved vs dynamic. */
import { isActiveTask } from '../active-tasks.ts';
import type { InstanceSnapshot, TaskOnInstance } from '../types.ts';

/** Docker's ephemeral range when the instance does not report one (Linux). */
export const DEFAULT_DYNAMIC_PORT_RANGE = { first: 49153, last: 65535 } as const;

/** ECS: "A container instance can have up to 100 reserved ports at a time", defaults included. */
export const MAX_RESERVED_PORTS = 100;

export interface PortUsage {
  /** Every host port held: reserved at registration plus the tasks' known host ports. */
  readonly tcp: ReadonlySet<number>;
  readonly udp: ReadonlySet<number>;
  /** Held ports outside the dynamic range: these count toward the 100-port limit. */
  readonly reservedTcp: number;
  readonly reservedUdp: number;
  /** Ports still free in the dynamic range (held ones and not-yet-numbered dynamic ones taken out). */
  readonly dynamicFreeTcp: number;
  readonly dynamicFreeUdp: number;
}

/**
 * Example: range 49153-65535 (16,383 ports), agent ports 22, 2375, 2376, 51678-51680 and one task
 * holding 80 plus an assigned 49200: reservedTcp = 3 + 1 = 4 (51678-51680 and 49200 are in the
 * range), dynamicFreeTcp = 16,383 - 4.
 */
export function portUsage(
  instance: InstanceSnapshot,
  /** Given when no active task holds port numbers: its pending dynamic ports, counted elsewhere. */
  pending?: { readonly pendingTcp: number; readonly pendingUdp: number },
): PortUsage {
  const range = instance.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
  const tcp = new Set(instance.registered.tcpPorts);
  const udp = new Set(instance.registered.udpPorts);
  let pendingTcp = pending?.pendingTcp ?? 0;
  let pendingUdp = pending?.pendingUdp ?? 0;
  for (const task of pending ? [] : instance.tasks) {
    if (!isActiveTask(task)) continue;
    for (const p of task.tcpPorts) tcp.add(p);
    for (const p of task.udpPorts) udp.add(p);
    pendingTcp += task.pendingDynamicTcpPorts ?? 0;
    pendingUdp += task.pendingDynamicUdpPorts ?? 0;
  }
  const size = Math.max(0, range.last - range.first + 1);
  const inRange = (ports: ReadonlySet<number>): number => {
    let count = 0;
    for (const p of ports) if (p >= range.first && p <= range.last) count++;
    return count;
  };
  const tcpInRange = inRange(tcp);
  const udpInRange = inRange(udp);
  return {
    tcp,
    udp,
    reservedTcp: tcp.size - tcpInRange,
    reservedUdp: udp.size - udpInRange,
    dynamicFreeTcp: size - tcpInRange - pendingTcp,
    dynamicFreeUdp: size - udpInRange - pendingUdp,
  };
}

/**
 * `usage` after one more active task on the instance, without going over its other tasks: the
 * port sets are shared when the task holds no host port numbers (dynamic ones not known yet).
 */
export function portsWithTask(usage: PortUsage, instance: InstanceSnapshot, task: TaskOnInstance): PortUsage {
  const range = instance.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
  const tcp = withPorts(usage.tcp, task.tcpPorts, range);
  const udp = withPorts(usage.udp, task.udpPorts, range);
  return {
    tcp: tcp.ports,
    udp: udp.ports,
    reservedTcp: usage.reservedTcp + tcp.outside,
    reservedUdp: usage.reservedUdp + udp.outside,
    dynamicFreeTcp: usage.dynamicFreeTcp - tcp.inside - (task.pendingDynamicTcpPorts ?? 0),
    dynamicFreeUdp: usage.dynamicFreeUdp - udp.inside - (task.pendingDynamicUdpPorts ?? 0),
  };
}

/** The held set plus `added`, and how many of those were new inside and outside the range. */
function withPorts(
  held: ReadonlySet<number>,
  added: readonly number[],
  range: { readonly first: number; readonly last: number },
): { ports: ReadonlySet<number>; inside: number; outside: number } {
  if (added.length === 0) return { ports: held, inside: 0, outside: 0 };
  const ports = new Set(held);
  let inside = 0;
  let outside = 0;
  for (const p of added) {
    if (ports.has(p)) continue;
    ports.add(p);
    if (p >= range.first && p <= range.last) inside++;
    else outside++;
  }
  return { ports, inside, outside };
}
