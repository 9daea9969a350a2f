/**
 * The host's iptables rules for a VPC bridge, which Docker would have made for its own bridge
 * networks. Docker loads br_netfilter and sets the filter FORWARD policy to DROP, so even frames
 * between two ports of one bridge go through FORWARD; these rules go at the top of FORWARD, ahead
 * of Docker's (in this order, for bridge B and each VPC range R):
 *
 *   filter FORWARD  -i B -o B                                   ACCEPT  tasks of the VPC with each other
 *   filter FORWARD  -i B -o lsv+                                DROP    to another VPC's bridge (VPCs are isolated)
 *   filter FORWARD  -i B                                        ACCEPT  out of the VPC to anywhere else
 *   filter FORWARD  -o B -m conntrack --ctstate RELATED,ESTABLISHED  ACCEPT  replies to those
 *   filter FORWARD  -o B                                        DROP    nothing else opens a flow into a task
 *                                                                       (other bridges, docker0, outside)
 *   nat POSTROUTING -s R ! -o B                                 MASQUERADE  egress leaves with the host's address
 *
 * The host itself reaches tasks directly (OUTPUT/INPUT, not FORWARD); the tasks' security groups
 * are enforced inside each task's namespace (firewall-rules.ts), not here.
 *
 * Every rule carries the comment `longshore-vpc:<bridge>`: the rules belong to the bridge, not to
 * an agent process, since running tasks keep using them while their agent restarts. They are
 * made (atomically, all or none, never duplicated) with the bridge, re-checked after an agent
 * restart, and removed once the bridge is gone: by the agent that deletes the bridge, and by any
 * agent's sweep (start, stop) for bridges that no longer exist.
 */
import { type HostCommands, runCommand } from './commands.ts';

/** The comment prefix of the VPC bridges' host rules. */
export const VPC_RULE_TAG = 'longshore-vpc';
/** Matches every VPC bridge (iptables' `+` wildcard) for the isolation rule. */
const ANY_VPC_BRIDGE = 'lsv+';
const LOCK_WAIT_SECONDS = '5';

/** A bridge's rules per table, each as `iptables-save` prints it (`-A FORWARD ...`), in chain order. */
export interface BridgeRules {
  filter: string[];
  nat: string[];
}

export function ruleComment(bridge: string): string {
  return `${VPC_RULE_TAG}:${bridge}`;
}

/** The rules of `bridge` for the VPC `ranges` (pure). */
export function bridgeRules(bridge: string, ranges: readonly string[]): BridgeRules {
  const tag = `-m comment --comment "${ruleComment(bridge)}"`;
  return {
    filter: [
      `-A FORWARD -i ${bridge} -o ${bridge} ${tag} -j ACCEPT`,
      `-A FORWARD -i ${bridge} -o ${ANY_VPC_BRIDGE} ${tag} -j DROP`,
      `-A FORWARD -i ${bridge} ${tag} -j ACCEPT`,
      `-A FORWARD -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT`,
      `-A FORWARD -o ${bridge} ${tag} -j DROP`,
    ],
    nat: ranges.map((r) => `-A POSTROUTING -s ${r} ! -o ${bridge} ${tag} -j MASQUERADE`),
  };
}

/** Every tagged rule in `iptables-save` output, by bridge (pure). */
export function taggedRules(save: string): Map<string, BridgeRules> {
  const out = new Map<string, BridgeRules>();
  let table = '';
  const pattern = new RegExp(`--comment "?${VPC_RULE_TAG}:([A-Za-z0-9_.-]+)"?`);
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    if (!line.startsWith('-A ') || (table !== 'filter' && table !== 'nat')) continue;
    const m = pattern.exec(line);
    if (!m) continue;
    const rules = out.get(m[1]) ?? { filter: [], nat: [] };
    rules[table].push(line.trim());
    out.set(m[1], rules);
  }
  return out;
}

/**
 * The iptables-restore input (`--noflush`) that turns `have` into `want` (pure): every rule of
 * `have` deleted, every rule of `want` inserted at the top in order, one transaction per table.
 */
export function replaceInput(have: BridgeRules, want: BridgeRules): string {
  const lines: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    if (have[table].length === 0 && want[table].length === 0) continue;
    lines.push(`*${table}`);
    for (const rule of have[table]) lines.push(rule.replace(/^-A /, '-D '));
    for (const rule of [...want[table]].reverse()) lines.push(rule.replace(/^-A (\S+) /, '-I $1 1 '));
    lines.push('COMMIT');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function same(a: readonly string[], b: readonly string[]): boolean {
  const norm = (rule: string) => rule.replaceAll('"', '');
  return a.length === b.length && a.every((rule, i) => norm(rule) === norm(b[i]));
}

function save(o: HostCommands): Promise<string> {
  return runCommand(o.iptablesSave ?? 'iptables-save', []);
}

function restore(input: string, o: HostCommands): Promise<string> {
  return runCommand(o.iptablesRestore ?? 'iptables-restore', ['-w', LOCK_WAIT_SECONDS, '--noflush'], input);
}

/**
 * Makes the host rules of `bridge` exactly `bridgeRules(bridge, ranges)`: nothing is done when
 * they are (after an agent restart), else they are replaced in one restore (none missing, none twice).
 */
export async function ensureBridgeRules(
  bridge: string,
  ranges: readonly string[],
  o: HostCommands = {},
): Promise<void> {
  const want = bridgeRules(bridge, ranges);
  const have = taggedRules(await save(o)).get(bridge) ?? { filter: [], nat: [] };
  if (same(have.filter, want.filter) && same(have.nat, want.nat)) return;
  await restore(replaceInput(have, want), o);
}

/**
 * Removes the rules of every tagged bridge that no longer exists (`exists` says), or only of
 * `only` when given. Returns the bridges whose rules went.
 */
export async function removeRulesOfMissingBridges(
  exists: (bridge: string) => boolean,
  o: HostCommands = {},
  only?: string,
): Promise<string[]> {
  const empty: BridgeRules = { filter: [], nat: [] };
  const gone = [...taggedRules(await save(o))].filter(
    ([bridge]) => (only === undefined || bridge === only) && !exists(bridge),
  );
  if (gone.length === 0) return [];
  const have: BridgeRules = {
    filter: gone.flatMap(([, r]) => r.filter),
    nat: gone.flatMap(([, r]) => r.nat),
  };
  await restore(replaceInput(have, empty), o);
  return gone.map(([bridge]) => bridge);
}
