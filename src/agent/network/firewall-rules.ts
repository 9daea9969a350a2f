/**
 * A task's security groups as an iptables-restore input for the filter table of its network
 * namespace. Pure. Restoring it replaces the whole table at once (iptables-restore commits a table
 * atomically), so a packet sees either the old rule set or the new one, never a mix.
 *
 * Every rule set has the same frame (security groups are stateful and default deny):
 *   INPUT, OUTPUT, FORWARD policy DROP
 *   loopback in and out                      (containers of the task talk over localhost)
 *   ESTABLISHED,RELATED in and out           (replies to allowed flows, either direction)
 *   out to 169.254.170.2 tcp                 (the task metadata endpoint, as on ECS)
 *   out to port 53 udp/tcp                   (DNS, as the VPC resolver is not subject to groups)
 * then one ACCEPT per rule and range: ingress matches the source, egress the destination.
 * With no firewall yet, only the frame applies: no new flow in, none out but metadata and DNS.
 */
import type { FirewallRule, TaskFirewall } from '../../core/agent-protocol.ts';
import { parseCidr } from './cidr.ts';

/** The ECS link-local endpoint address (metadata and credentials). */
export const METADATA_ADDRESS = '169.254.170.2';
/** Every rule carries this comment, so `iptables-save` inside a task shows what Longshore put there. */
export const FIREWALL_COMMENT = 'longshore-sg';

/** The rule set before the control plane sent one: default deny both ways. */
export const DEFAULT_DENY: TaskFirewall = { ingress: [], egress: [] };

export function firewallRestoreInput(firewall: TaskFirewall): string {
  const lines = [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT DROP [0:0]',
    rule('INPUT', ['-i', 'lo']),
    rule('OUTPUT', ['-o', 'lo']),
    rule('INPUT', ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED']),
    rule('OUTPUT', ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED']),
    rule('OUTPUT', ['-d', `${METADATA_ADDRESS}/32`, '-p', 'tcp']),
    rule('OUTPUT', ['-p', 'udp', '--dport', '53']),
    rule('OUTPUT', ['-p', 'tcp', '--dport', '53']),
  ];
  for (const r of firewall.ingress) lines.push(...accepts('INPUT', '-s', r));
  for (const r of firewall.egress) lines.push(...accepts('OUTPUT', '-d', r));
  lines.push('COMMIT', '');
  return lines.join('\n');
}

function rule(chain: string, match: string[]): string {
  return ['-A', chain, ...match, '-m', 'comment', '--comment', FIREWALL_COMMENT, '-j', 'ACCEPT'].join(' ');
}

/**
 * One ACCEPT per range of `r`. Malformed ranges are skipped (the control plane validated them;
 * a bad one must not make iptables-restore refuse the whole set and leave the old one).
 */
function accepts(chain: 'INPUT' | 'OUTPUT', side: '-s' | '-d', r: FirewallRule): string[] {
  const proto = protocolMatch(r);
  const out: string[] = [];
  for (const cidr of r.cidrs) {
    const range = parseCidr(cidr);
    if (!range) continue;
    const address = range.prefix === 0 ? [] : [side, range.text];
    out.push(rule(chain, [...address, ...proto]));
  }
  return out;
}

/** `all` matches every protocol; icmp every type; tcp/udp the inclusive port range (all ports if none). */
function protocolMatch(r: FirewallRule): string[] {
  if (r.protocol === 'all') return [];
  if (r.protocol === 'icmp') return ['-p', 'icmp'];
  const from = r.fromPort;
  const to = r.toPort ?? from;
  if (from === undefined || (from <= 0 && (to ?? 65535) >= 65535)) return ['-p', r.protocol];
  const ports = from === to ? String(from) : `${from}:${to}`;
  return ['-p', r.protocol, '--dport', ports];
}
