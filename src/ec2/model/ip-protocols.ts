/** IP protocols as security group rules name them, and as the agent's firewall does. */
import type { FirewallRule } from '../../core/agent-protocol.ts';

/** EC2 stores these names for their numbers (`6` is shown as `tcp`); `-1` is every protocol. */
const NAMED: Readonly<Record<string, string>> = {
  '-1': '-1',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
};

/**
 * The protocol as EC2 stores it: a name for tcp, udp, icmp and icmpv6, `-1` for all, else the
 * number (0..255) as text; undefined when it is none of these.
 */
export function normalizeIpProtocol(value: string): string | undefined {
  const lower = value.trim().toLowerCase();
  if (NAMED[lower]) return NAMED[lower];
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  return undefined;
}

/** Whether EC2 rules of this protocol carry a port range (tcp, udp) or type/code (icmp). */
export function hasPorts(protocol: string): boolean {
  return protocol === 'tcp' || protocol === 'udp' || protocol === 'icmp' || protocol === 'icmpv6';
}

/**
 * The agent's name for an EC2 protocol: `-1` -> all, tcp, udp, icmp; undefined for the rest
 * (icmpv6 and other numbers), which an IPv4 task firewall cannot express and so never allows.
 */
export function firewallProtocol(protocol: string): FirewallRule['protocol'] | undefined {
  switch (protocol) {
    case '-1':
      return 'all';
    case 'tcp':
    case 'udp':
    case 'icmp':
      return protocol;
    default:
      return undefined;
  }
}
