/**
 * An awsvpc task's firewall: the union of its ENI's security groups, resolved to IPv4 ranges for
 * the agent, which enforces it in the task's network namespace (stateful, default deny).
 */
import type { FirewallRule, TaskFirewall } from '../../core/agent-protocol.ts';
import type { Reader } from '../../store/store.ts';
import { firewallProtocol } from './ip-protocols.ts';
import { getNetworkInterface, listNetworkInterfaces } from './network-interfaces.ts';
import type { NetworkInterfaceRecord, SecurityGroupRecord, SecurityGroupRuleRecord } from './records.ts';
import { getSecurityGroup } from './security-groups.ts';

/**
 * The firewall of `eniId`, undefined when the ENI is gone. A rule naming a group allows the /32 of
 * every current ENI in that group, the ENI itself included (a default group's self rule lets a
 * task reach itself by its address, as in AWS). IPv6 ranges, prefix lists and protocols other
 * than tcp, udp, icmp and all are left out: an IPv4 firewall cannot express them.
 *
 * Rules with the same protocol and ports are merged, ranges deduplicated and sorted, so the same
 * groups always give the same firewall (the channel digests it to skip repeats).
 */
export async function taskFirewall(reader: Reader, eniId: string): Promise<TaskFirewall | undefined> {
  return (await taskFirewalls(reader, [eniId])).get(eniId);
}

/**
 * The firewalls of several ENIs from one read of their groups and of the ENIs (one listing
 * however many tasks ask, which keeps a change to a self-referencing default group linear in
 * the tasks it touches). ENIs that are gone are absent from the map.
 */
export async function taskFirewalls(
  reader: Reader,
  eniIds: readonly string[],
): Promise<Map<string, TaskFirewall>> {
  const enis: NetworkInterfaceRecord[] = [];
  for (const id of eniIds) {
    const eni = await getNetworkInterface(reader, id);
    if (eni) enis.push(eni);
  }
  const groups = new Map<string, SecurityGroupRecord>();
  for (const id of new Set(enis.flatMap((e) => e.groupIds))) {
    const group = await getSecurityGroup(reader, id);
    if (group) groups.set(id, group);
  }
  const byReference = [...groups.values()].some((g) =>
    [...g.ingress, ...g.egress].some((r) => r.peer.type === 'group'),
  );
  const members = byReference
    ? membersByGroup(await listNetworkInterfaces(reader))
    : new Map<string, string[]>();
  const out = new Map<string, TaskFirewall>();
  for (const eni of enis) {
    const mine = eni.groupIds.flatMap((id) => groups.get(id) ?? []);
    out.set(eni.networkInterfaceId, {
      ingress: merged(mine.flatMap((g) => g.ingress.flatMap((r) => resolve(r, members)))),
      egress: merged(mine.flatMap((g) => g.egress.flatMap((r) => resolve(r, members)))),
    });
  }
  return out;
}

/** Group id -> the /32 of each ENI in it. */
function membersByGroup(enis: readonly NetworkInterfaceRecord[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const eni of enis) {
    for (const id of eni.groupIds) {
      const list = members.get(id) ?? [];
      list.push(`${eni.privateIpAddress}/32`);
      members.set(id, list);
    }
  }
  return members;
}

function resolve(rule: SecurityGroupRuleRecord, members: Map<string, string[]>): FirewallRule[] {
  const protocol = firewallProtocol(rule.protocol);
  if (!protocol) return [];
  const peer = rule.peer;
  const cidrs =
    peer.type === 'cidr4' ? [peer.cidr] : peer.type === 'group' ? (members.get(peer.groupId) ?? []) : [];
  if (cidrs.length === 0) return [];
  if (protocol === 'tcp' || protocol === 'udp') {
    // EC2 stores -1 for "every port" only with protocol -1; guard anyway.
    const fromPort = Math.max(rule.fromPort, 0);
    const toPort = rule.toPort < 0 ? 65535 : rule.toPort;
    return [{ protocol, fromPort, toPort, cidrs }];
  }
  return [{ protocol, cidrs }];
}

/** One rule per protocol and port range, its ranges the union of theirs, in a stable order. */
function merged(rules: readonly FirewallRule[]): FirewallRule[] {
  const byKey = new Map<string, FirewallRule>();
  for (const rule of rules) {
    const key = `${rule.protocol}:${rule.fromPort ?? ''}:${rule.toPort ?? ''}`;
    const seen = byKey.get(key);
    if (seen) seen.cidrs = [...new Set([...seen.cidrs, ...rule.cidrs])];
    else byKey.set(key, { ...rule, cidrs: [...new Set(rule.cidrs)] });
  }
  return [...byKey]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, rule]) => ({ ...rule, cidrs: rule.cidrs.sort() }));
}
