/**
 * One Linux bridge per VPC on this host, made by the agent (not a Docker network): `lsv-<hash>`
 * (at most 15 characters), with the VPC router's address (range base + 1, prefix of the range)
 * for each VPC range, a fixed MAC (so the gateway's MAC never changes as ports come and go), up.
 * Tasks of the VPC share this L2 domain whatever their subnet; the host reaches every task through
 * the gateway address; the host rules of bridge-rules.ts forward, isolate and masquerade.
 *
 * Shared by the agents of one host: made on demand by the first task of the VPC (a create that
 * finds it exists uses it, after checking it holds the VPC's range), removed with its host rules
 * when the last task of this agent using it is gone and no port is left on it (another agent's
 * tasks may still be there). Acquire and release of one VPC are serial within an agent.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { TaskEni } from '../../core/agent-protocol.ts';
import { describeError } from '../../core/errors.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { ensureBridgeRules, removeRulesOfMissingBridges } from './bridge-rules.ts';
import { contains, type Ipv4Range, overlaps, parseCidr, routerAddress } from './cidr.ts';
import { CommandError, type HostCommands, runCommand } from './commands.ts';
import type { HostRoute } from './host-routes.ts';
import { bridgePorts, deleteLink, ipBatch, linkAddresses, linkExists } from './links.ts';

/** Labels on the Docker networks an earlier Longshore made per VPC (named in overlap errors). */
const VPC_ID_LABEL = 'longshore.vpc-id';
/** How long a port-less VPC bridge must stay so before it counts as abandoned. */
const ABANDONED_CHECK_MS = 5_000;
/** Every VPC bridge's name starts so (the host rules match them all with `lsv+`). */
export const BRIDGE_PREFIX = 'lsv-';

/** What a task records about its VPC's bridge (persisted with the task). */
export interface VpcNetwork {
  /** Linux bridge interface. */
  bridge: string;
  vpcId: string;
  /** The VPC's ranges as the bridge holds them, primary first (`10.201.0.0/16`). */
  ranges: string[];
}

/** The metadata endpoint's route on a VPC bridge (route_localnet and the INPUT guard). */
export interface LinkLocalBridges {
  add(bridge: string): Promise<void>;
  remove(bridge: string): Promise<void>;
}

/** A task that cannot have its network: the text follows `ResourceInitializationError: `. */
export class NetworkSetupError extends Error {}

export interface VpcNetworksDeps {
  runtime: ContainerRuntime;
  retry: RetryPolicy;
  logger: Logger;
  hostRoutes(): Promise<HostRoute[]>;
  /** Undefined while (or where) the metadata endpoint has no link-local route. */
  linkLocal(): LinkLocalBridges | undefined;
  commands?: HostCommands;
}

/** `lsv-` and 11 hex digits of the VPC id's hash: Linux allows 15 characters for an interface name. */
export function bridgeNameFor(vpcId: string): string {
  return `${BRIDGE_PREFIX}${hash(vpcId).slice(0, 11)}`;
}

/** A locally administered unicast MAC from the VPC id: the gateway's MAC, the same on every host. */
export function bridgeMacFor(vpcId: string): string {
  const bytes = hash(`mac:${vpcId}`).slice(0, 10).match(/../g) ?? [];
  return ['02', ...bytes].join(':');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The VPC's ranges, primary first, without duplicates; malformed ones refuse the task. */
export function vpcRanges(eni: TaskEni): Ipv4Range[] {
  const out: Ipv4Range[] = [];
  for (const text of [eni.vpcCidr, ...(eni.vpcCidrs ?? [])]) {
    const range = parseCidr(text);
    if (!range) throw new NetworkSetupError(`the VPC range ${text} of ${eni.vpcId} is not an IPv4 CIDR`);
    if (!out.some((r) => r.text === range.text)) out.push(range);
  }
  return out;
}

export class VpcNetworks {
  readonly #d: VpcNetworksDeps;
  /** Bridge -> the tasks of this agent using it. */
  readonly #users = new Map<string, Set<string>>();
  /** Bridges this agent checked (exists, holds its ranges, host rules in place) since it last released them. */
  readonly #ready = new Set<string>();
  /** Per bridge, the tail of its serial chain: acquire and release of one VPC never interleave. */
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Bridges this agent routed 169.254.170.2 on. */
  readonly #routed = new Set<string>();
  /** The first use sweeps host rules of bridges that are gone (a killed agent's last VPC). */
  #swept: Promise<void> | undefined;

  constructor(deps: VpcNetworksDeps) {
    this.#d = deps;
  }

  /** Makes sure the VPC's bridge exists with its host rules (creating them if needed) and counts the task as its user. */
  acquire(taskArn: string, eni: TaskEni): Promise<VpcNetwork> {
    const bridge = bridgeNameFor(eni.vpcId);
    const ranges = vpcRanges(eni);
    return this.#serial(bridge, async () => {
      await this.#sweepOnce();
      if (!this.#ready.has(bridge) || !linkExists(bridge)) {
        this.#ready.delete(bridge);
        await this.#ensureBridge(bridge, eni, ranges);
        await ensureBridgeRules(
          bridge,
          ranges.map((r) => r.text),
          this.#d.commands,
        );
        this.#ready.add(bridge);
      }
      this.#use(taskArn, bridge);
      await this.#route(bridge);
      return { bridge, vpcId: eni.vpcId, ranges: ranges.map((r) => r.text) };
    });
  }

  /** After a restart: a restored task still uses its bridge; its host rules and route are checked again. */
  adopt(taskArn: string, net: VpcNetwork): Promise<void> {
    return this.#serial(net.bridge, async () => {
      await this.#sweepOnce();
      this.#use(taskArn, net.bridge);
      if (!this.#ready.has(net.bridge) && linkExists(net.bridge)) {
        await ensureBridgeRules(net.bridge, net.ranges ?? [], this.#d.commands);
        this.#ready.add(net.bridge);
      }
      await this.#route(net.bridge);
    });
  }

  /**
   * The task no longer uses the bridge (its veth is gone). The last user of this agent removes
   * the bridge and its host rules when no port is left on it (no other agent's task is there).
   */
  release(taskArn: string, net: VpcNetwork): Promise<void> {
    return this.#serial(net.bridge, async () => {
      const users = this.#users.get(net.bridge);
      users?.delete(taskArn);
      if (users && users.size > 0) return;
      this.#users.delete(net.bridge);
      this.#ready.delete(net.bridge);
      if ((await bridgePorts(net.bridge)).length === 0) await deleteLink(net.bridge, this.#d.commands);
      await this.#removeRules(net.bridge);
      await this.#unroute(net.bridge);
    });
  }

  /** The agent stops: the host rules of bridges that are gone go (the others serve running tasks). */
  async close(): Promise<void> {
    await this.#removeRules(undefined);
  }

  #use(taskArn: string, bridge: string): void {
    const users = this.#users.get(bridge) ?? new Set<string>();
    users.add(taskArn);
    this.#users.set(bridge, users);
  }

  #serial<T>(key: string, job: () => Promise<T>): Promise<T> {
    const run = (this.#chains.get(key) ?? Promise.resolve()).then(job, job);
    const tail = run.catch(() => undefined);
    this.#chains.set(key, tail);
    void tail.then(() => {
      if (this.#chains.get(key) === tail) this.#chains.delete(key);
    });
    return run;
  }

  #sweepOnce(): Promise<void> {
    this.#swept ??= this.#removeRules(undefined);
    return this.#swept;
  }

  /** Host rules of `bridge` (or of every tagged bridge) whose bridge no longer exists. Logged, never thrown. */
  async #removeRules(bridge: string | undefined): Promise<void> {
    const attempt = () => removeRulesOfMissingBridges(linkExists, this.#d.commands, bridge);
    try {
      // A second try when another agent removed some of them between our save and restore.
      await attempt().catch(attempt);
    } catch (error) {
      this.#d.logger.warn(
        { bridge, err: describeError(error) },
        'cannot remove the host iptables rules of a removed VPC bridge',
      );
    }
  }

  async #ensureBridge(bridge: string, eni: TaskEni, ranges: Ipv4Range[]): Promise<void> {
    if (!linkExists(bridge)) {
      await this.#refuseOverlaps(eni, ranges);
      const made = await this.#create(bridge, eni, ranges);
      if (made) return;
    }
    // Made by another agent (or before a restart): it must hold the task's address.
    const held = (await linkAddresses(bridge, this.#d.commands)).flatMap((a) => parseCidr(a) ?? []);
    const address = eni.privateIpv4Address;
    if (!held.some((r) => contains(r, address))) {
      throw new NetworkSetupError(
        `the VPC bridge ${bridge} on this host has ${held.map((r) => r.text).join(', ') || 'no range'}, which does not hold the task's address ${address} (${eni.vpcId} is ${ranges.map((r) => r.text).join(', ')}): another Longshore on this host may use the same VPC id with other ranges; use another VPC`,
      );
    }
    await runCommand(this.#d.commands?.ip ?? 'ip', ['link', 'set', bridge, 'up']);
  }

  /** Creates the bridge with its gateway addresses, up; false when another agent made it first. */
  async #create(bridge: string, eni: TaskEni, ranges: Ipv4Range[]): Promise<boolean> {
    try {
      const mac = bridgeMacFor(eni.vpcId);
      await runCommand(this.#d.commands?.ip ?? 'ip', [
        'link',
        'add',
        'name',
        bridge,
        'address',
        mac,
        'type',
        'bridge',
      ]);
    } catch (error) {
      if (error instanceof CommandError && /File exists/i.test(error.stderr)) return false;
      throw new NetworkSetupError(
        `cannot create the VPC bridge ${bridge} for ${eni.vpcId}: ${describeError(error)}`,
      );
    }
    await ipBatch(
      [
        ...ranges.map((r) => `addr replace ${routerAddress(r)}/${r.prefix} dev ${bridge}`),
        `link set ${bridge} up`,
      ],
      this.#d.commands,
    );
    return true;
  }

  /** The bridge holds the VPC's whole ranges, so they must not overlap any network of the host. */
  async #refuseOverlaps(eni: TaskEni, ranges: Ipv4Range[]): Promise<void> {
    const advice = `Tasks of a VPC share one bridge on each host, so its ranges must not overlap another network there: use a VPC with another CIDR`;
    const networks = await withRetry(() => this.#d.runtime.listNetworks(), this.#d.retry);
    for (const net of networks) {
      for (const subnet of net.subnets) {
        const other = parseCidr(subnet);
        const clash = other && ranges.find((r) => overlaps(r, other));
        if (clash) {
          const owner = net.labels[VPC_ID_LABEL]
            ? ` (${net.labels[VPC_ID_LABEL]} of another Longshore?)`
            : '';
          throw new NetworkSetupError(
            `the range ${clash.text} of ${eni.vpcId} overlaps the Docker network ${net.name}${owner} (${subnet}) on this host. ${advice}`,
          );
        }
      }
    }
    let routes: HostRoute[] = [];
    try {
      routes = await this.#d.hostRoutes();
    } catch (error) {
      this.#d.logger.warn(
        { err: describeError(error) },
        'cannot read host routes; VPC overlap check skipped them',
      );
    }
    for (const route of routes) {
      const dst = parseCidr(route.dst);
      const clash = dst && ranges.find((r) => overlaps(r, dst));
      if (clash && route.dev && (await this.#reclaimAbandoned(route.dev))) continue;
      if (clash) {
        const owner = route.dev?.startsWith(BRIDGE_PREFIX) ? ' (the bridge of another VPC)' : '';
        throw new NetworkSetupError(
          `the range ${clash.text} of ${eni.vpcId} overlaps the host route ${route.dst}${route.dev ? ` dev ${route.dev}` : ''}${owner} on this host. ${advice}`,
        );
      }
    }
  }

  /**
   * A VPC bridge with no port, still without one a moment later, is one no agent uses: left by
   * an agent that was killed (a live agent attaches its task's veth right after making it). It
   * is removed, with its host rules, so that its range is free again; true when it was.
   */
  async #reclaimAbandoned(bridge: string): Promise<boolean> {
    if (!bridge.startsWith(BRIDGE_PREFIX) || (await bridgePorts(bridge)).length > 0) return false;
    await new Promise((resolve) => setTimeout(resolve, ABANDONED_CHECK_MS));
    if ((await bridgePorts(bridge)).length > 0 || !linkExists(bridge)) return !linkExists(bridge);
    this.#d.logger.warn({ bridge }, 'removing a VPC bridge no task uses (left by an agent that was killed)');
    await deleteLink(bridge, this.#d.commands);
    await this.#removeRules(bridge);
    return true;
  }

  async #route(bridge: string): Promise<void> {
    const linkLocal = this.#d.linkLocal();
    if (!linkLocal || this.#routed.has(bridge)) return;
    try {
      await linkLocal.add(bridge);
      this.#routed.add(bridge);
    } catch (error) {
      this.#d.logger.warn(
        { bridge, err: describeError(error) },
        'cannot route 169.254.170.2 on the VPC bridge; awsvpc tasks there cannot reach the metadata endpoint',
      );
    }
  }

  async #unroute(bridge: string): Promise<void> {
    const linkLocal = this.#d.linkLocal();
    if (!linkLocal || !this.#routed.delete(bridge)) return;
    await linkLocal.remove(bridge).catch((error: unknown) => {
      this.#d.logger.warn(
        { bridge, err: describeError(error) },
        'cannot remove the VPC bridge metadata rule',
      );
    });
  }
}
