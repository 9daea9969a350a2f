/**
 * The ECS way for containers to reach the agent's endpoints: `http://169.254.170.2/...`, rewritten
 * by iptables to the server on the host's loopback, as ecs-init sets it up for the ECS agent:
 * - nat PREROUTING: 169.254.170.2:80 -> DNAT 127.0.0.1:PORT (packets from bridge-mode containers);
 * - nat OUTPUT: 169.254.170.2:80 -> REDIRECT PORT (host-mode containers and the host itself);
 * - `route_localnet=1` on the bridge interface, so the kernel routes a DNATed packet to 127.0.0.1;
 * - filter INPUT on the bridge: DROP what targets 127.0.0.0/8 without having been DNATed, so
 *   route_localnet does not open the host's other loopback services to containers.
 *
 * Several agents on one host: the first to claim port 80 of 169.254.170.2 serves it (ECS has one
 * agent per host). Every agent also routes 169.254.170.2:PORT to its own PORT, and an agent that
 * finds port 80 taken by another live agent hands its containers `http://169.254.170.2:PORT`.
 * The claim is decided by chain order: each agent appends its port-80 rules and keeps them only
 * if they are the first such rules in the chain (the ones packets hit), so two agents starting at
 * once cannot both believe they serve port 80.
 *
 * awsvpc tasks live behind their VPC's bridge (../network/vpc-networks.ts) and send to
 * 169.254.170.2 through its gateway: the PREROUTING DNAT above matches them too (it names no
 * interface), and `addBridge` gives each VPC bridge the same route_localnet and INPUT guard as
 * docker0, tagged like the other rules and removed with the bridge or when the agent stops.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { processAlive } from '../process-alive.ts';
import { Iptables, option, type Rule, type RuleOwner, ruleComment, type Table } from './iptables.ts';

/** The link-local address ECS serves task metadata and credentials on. */
export const LINK_LOCAL_ADDRESS = '169.254.170.2';
/** ECS's port on that address. */
export const LINK_LOCAL_PORT = 80;
/** Docker's default bridge interface. */
export const DEFAULT_BRIDGE_INTERFACE = 'docker0';

export interface LinkLocalRouteOptions {
  /** The iptables command; default `iptables` on PATH. */
  iptables?: string;
  /** The bridge the containers are on; default docker0. */
  bridgeInterface?: string;
  /** Identifies this agent's rules across its restarts (a hash of its container instance ARN). */
  key: string;
}

/** Where the route ended: the base URL containers are given. */
export interface InstalledRoute {
  url: string;
  /** True when this agent serves 169.254.170.2:80 itself. */
  servesDefaultPort: boolean;
  /** Removes this agent's rules (and any a dead agent left). Never throws. */
  remove(): Promise<string | undefined>;
  /** Routes the link-local address for containers behind another bridge (a VPC's). */
  addBridge(bridge: string): Promise<void>;
  /** Removes what addBridge added for `bridge`. */
  removeBridge(bridge: string): Promise<void>;
}

interface Chain {
  table: Table;
  chain: string;
}
const PREROUTING: Chain = { table: 'nat', chain: 'PREROUTING' };
const OUTPUT: Chain = { table: 'nat', chain: 'OUTPUT' };
const INPUT: Chain = { table: 'filter', chain: 'INPUT' };

/**
 * Installs the route to a server listening on 127.0.0.1:`port`. Rejects with the reason when the
 * host cannot have it (no iptables, no privilege to change rules or route_localnet).
 */
export async function installLinkLocalRoute(port: number, o: LinkLocalRouteOptions): Promise<InstalledRoute> {
  const iptables = new Iptables(o.iptables);
  const bridge = o.bridgeInterface ?? DEFAULT_BRIDGE_INTERFACE;
  const me: RuleOwner = { key: o.key, pid: process.pid };
  const tag = ruleComment(me);
  await removeStale(iptables, me);
  enableRouteLocalnet(bridge);
  const mine: Rule[] = [];
  const add = async (at: Chain, spec: string[], first = false) => {
    await (first ? iptables.insert(at.table, at.chain, spec) : iptables.append(at.table, at.chain, spec));
    mine.push({ ...at, spec });
  };
  const remove = async (): Promise<string | undefined> => {
    try {
      for (const rule of mine.splice(0)) await iptables.delete(rule);
      await removeStale(iptables, me);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const guards = new Map<string, Rule>();
  const addBridge = async (extra: string): Promise<void> => {
    if (guards.has(extra)) return;
    enableRouteLocalnet(extra);
    const rule: Rule = { ...INPUT, spec: guard(extra, tag) };
    await iptables.insert(rule.table, rule.chain, rule.spec);
    mine.push(rule);
    guards.set(extra, rule);
  };
  const removeBridge = async (extra: string): Promise<void> => {
    const rule = guards.get(extra);
    if (!rule) return;
    guards.delete(extra);
    const at = mine.indexOf(rule);
    if (at >= 0) mine.splice(at, 1);
    await iptables.delete(rule);
  };
  try {
    await add(INPUT, guard(bridge, tag), true);
    await add(PREROUTING, dnat(port, port, tag));
    await add(OUTPUT, redirect(port, port, tag));
    const claimed = await claimDefaultPort(iptables, port, tag, mine);
    const url = claimed ? `http://${LINK_LOCAL_ADDRESS}` : `http://${LINK_LOCAL_ADDRESS}:${port}`;
    return { url, servesDefaultPort: claimed, remove, addBridge, removeBridge };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Appends this agent's port-80 rules and keeps them when they are the ones packets hit. */
async function claimDefaultPort(
  iptables: Iptables,
  port: number,
  tag: string,
  mine: Rule[],
): Promise<boolean> {
  const pre = { ...PREROUTING, spec: dnat(LINK_LOCAL_PORT, port, tag) };
  const out = { ...OUTPUT, spec: redirect(LINK_LOCAL_PORT, port, tag) };
  await iptables.append(pre.table, pre.chain, pre.spec);
  mine.push(pre);
  await iptables.append(out.table, out.chain, out.spec);
  mine.push(out);
  const first = (await iptables.list(PREROUTING.table, PREROUTING.chain)).find(
    (r) =>
      option(r.spec, '-d') === `${LINK_LOCAL_ADDRESS}/32` &&
      option(r.spec, '--dport') === String(LINK_LOCAL_PORT),
  );
  if (first && option(first.spec, '--comment') === tag) return true;
  for (const rule of mine.splice(-2)) await iptables.delete(rule);
  return false;
}

/**
 * Rules of agents that are gone, and this agent's own from a run that was killed (same key: an
 * agent keeps its container instance ARN across restarts; two live agents never share one).
 */
async function removeStale(iptables: Iptables, me: RuleOwner): Promise<void> {
  for (const at of [PREROUTING, OUTPUT, INPUT]) {
    for (const rule of await iptables.list(at.table, at.chain)) {
      const owner = rule.owner;
      if (owner && (owner.key === me.key || !processAlive(owner.pid))) await iptables.delete(rule);
    }
  }
}

/** The kernel drops packets to 127.0.0.0/8 that arrive on another interface unless this is set. */
function enableRouteLocalnet(bridge: string): void {
  const file = `/proc/sys/net/ipv4/conf/${bridge}/route_localnet`;
  if (readFileSync(file, 'utf8').trim() !== '1') writeFileSync(file, '1');
}

function dnat(listen: number, port: number, tag: string): string[] {
  return [...match(listen, tag), '-j', 'DNAT', '--to-destination', `127.0.0.1:${port}`];
}

function redirect(listen: number, port: number, tag: string): string[] {
  return [...match(listen, tag), '-j', 'REDIRECT', '--to-ports', String(port)];
}

function match(listen: number, tag: string): string[] {
  return [
    '-d',
    `${LINK_LOCAL_ADDRESS}/32`,
    '-p',
    'tcp',
    '-m',
    'tcp',
    '--dport',
    String(listen),
    '-m',
    'comment',
    '--comment',
    tag,
  ];
}

function guard(bridge: string, tag: string): string[] {
  return [
    ...['-d', '127.0.0.0/8', '-i', bridge, '-m', 'comment', '--comment', tag],
    ...['-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'],
  ];
}
