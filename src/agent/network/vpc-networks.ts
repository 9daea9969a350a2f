/**
 * One Docker bridge network per VPC on this host (`longshore-<vpcId>`): the VPC's ranges as its
 * subnets, the VPC router's address (range base + 1) as the gateway on the host, a Linux bridge
 * named `lsv-<hash>` (at most 15 characters). Tasks of the VPC share this L2 domain whatever their
 * subnet; Docker's isolation between bridges keeps VPCs apart; the host reaches every task through
 * the gateway address.
 *
 * Made on demand by the first task of the VPC, removed when the last task of this agent using it
 * is gone and no container is attached (another agent on the host may still use it). Two agents
 * may race to create it: "already exists" is fine, the network is inspected again.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { TaskEni } from '../../core/agent-protocol.ts';
import { describeError } from '../../core/errors.ts';
import { DockerTerminalError } from '../docker/errors.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime, NetworkInfo } from '../docker/runtime.ts';
import { contains, type Ipv4Range, overlaps, parseCidr, routerAddress } from './cidr.ts';
import type { HostRoute } from './host-routes.ts';

/** Docker's option naming the Linux bridge of a bridge network. */
const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';
/** Labels on the networks Longshore makes, so they are recognised as its own. */
export const NetworkLabel = {
  Managed: 'longshore.network',
  VpcId: 'longshore.vpc-id',
} as const;
const MANAGED_VALUE = 'awsvpc';

/** What a task records about its VPC's network (persisted with the task). */
export interface VpcNetwork {
  /** Docker network name. */
  name: string;
  /** Linux bridge interface. */
  bridge: string;
  vpcId: string;
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
}

export function networkNameFor(vpcId: string): string {
  return `longshore-${vpcId}`;
}

/** `lsv-` and 11 hex digits of the VPC id's hash: Linux allows 15 characters for an interface name. */
export function bridgeNameFor(vpcId: string): string {
  return `lsv-${createHash('sha256').update(vpcId).digest('hex').slice(0, 11)}`;
}

export class VpcNetworks {
  readonly #d: VpcNetworksDeps;
  /** Network name -> the tasks of this agent using it. */
  readonly #users = new Map<string, Set<string>>();
  /** Per network, the tail of its serial chain: acquire and release of one VPC never interleave. */
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Bridges this agent routed 169.254.170.2 on. */
  readonly #routed = new Set<string>();

  constructor(deps: VpcNetworksDeps) {
    this.#d = deps;
  }

  /** Makes sure the VPC's network exists (creating it if needed) and counts the task as its user. */
  acquire(taskArn: string, eni: TaskEni): Promise<VpcNetwork> {
    const name = networkNameFor(eni.vpcId);
    return this.#serial(name, async () => {
      const info = await this.#ensure(name, eni);
      const net = {
        name,
        bridge: info.options[BRIDGE_NAME_OPTION] ?? bridgeNameFor(eni.vpcId),
        vpcId: eni.vpcId,
      };
      this.#use(taskArn, net);
      await this.#route(net.bridge);
      return net;
    });
  }

  /** After a restart: a restored task still uses its network (its route is installed again). */
  adopt(taskArn: string, net: VpcNetwork): Promise<void> {
    return this.#serial(net.name, async () => {
      this.#use(taskArn, net);
      await this.#route(net.bridge);
    });
  }

  /** The task no longer uses the network; the last user removes it when nothing else is attached. */
  release(taskArn: string, net: VpcNetwork): Promise<void> {
    return this.#serial(net.name, async () => {
      const users = this.#users.get(net.name);
      users?.delete(taskArn);
      if (users && users.size > 0) return;
      this.#users.delete(net.name);
      const info = await withRetry(() => this.#d.runtime.inspectNetwork(net.name), this.#d.retry);
      if (info && info.containers.length === 0 && info.labels[NetworkLabel.Managed] === MANAGED_VALUE) {
        await this.#d.runtime.removeNetwork(net.name).catch((error: unknown) => {
          // Another agent attached a container meanwhile: the network is theirs to remove now.
          if (!(error instanceof DockerTerminalError && error.statusCode === 403)) throw error;
        });
      }
      await this.#unroute(net.bridge);
    });
  }

  #use(taskArn: string, net: VpcNetwork): void {
    const users = this.#users.get(net.name) ?? new Set<string>();
    users.add(taskArn);
    this.#users.set(net.name, users);
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

  async #ensure(name: string, eni: TaskEni): Promise<NetworkInfo> {
    const ranges = vpcRanges(eni);
    const runtime = this.#d.runtime;
    let info = await withRetry(() => runtime.inspectNetwork(name), this.#d.retry);
    if (!info) {
      await this.#refuseOverlaps(eni, ranges);
      try {
        await withRetry(
          () =>
            runtime.createNetwork({
              name,
              ranges: ranges.map((r) => ({ subnet: r.text, gateway: routerAddress(r) })),
              options: { [BRIDGE_NAME_OPTION]: bridgeNameFor(eni.vpcId) },
              labels: { [NetworkLabel.Managed]: MANAGED_VALUE, [NetworkLabel.VpcId]: eni.vpcId },
            }),
          this.#d.retry,
        );
      } catch (error) {
        if (!(error instanceof DockerTerminalError)) throw error;
        // Another agent on this host made it first: use theirs.
        if (error.statusCode !== 409 && !/already exists/i.test(error.message)) {
          throw new NetworkSetupError(
            `cannot create the Docker network ${name} for ${eni.vpcId} (${ranges.map((r) => r.text).join(', ')}): ${error.message}. If the range overlaps a network on this host, use a VPC with another CIDR`,
          );
        }
      }
      info = await withRetry(() => runtime.inspectNetwork(name), this.#d.retry);
      if (!info) throw new NetworkSetupError(`the Docker network ${name} vanished while it was being set up`);
    }
    const address = eni.privateIpv4Address;
    const subnets = info.subnets.flatMap((s) => parseCidr(s) ?? []);
    if (!subnets.some((s) => contains(s, address))) {
      throw new NetworkSetupError(
        `the Docker network ${name} on this host has ${info.subnets.join(', ') || 'no range'}, which does not hold the task's address ${address} (${eni.vpcId} is ${ranges.map((r) => r.text).join(', ')}): another Longshore on this host may use the same VPC id with other ranges; remove the network once no task uses it, or use another VPC`,
      );
    }
    return info;
  }

  /** Docker refuses overlapping pools only among its own networks; host routes are checked here too. */
  async #refuseOverlaps(eni: TaskEni, ranges: Ipv4Range[]): Promise<void> {
    const advice = `Tasks of a VPC share one bridge on each host, so its ranges must not overlap another network there: use a VPC with another CIDR`;
    const networks = await withRetry(() => this.#d.runtime.listNetworks(), this.#d.retry);
    for (const net of networks) {
      for (const subnet of net.subnets) {
        const other = parseCidr(subnet);
        const clash = other && ranges.find((r) => overlaps(r, other));
        if (clash) {
          const owner = net.labels[NetworkLabel.VpcId]
            ? ` (${net.labels[NetworkLabel.VpcId]} of another Longshore?)`
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
      if (clash) {
        throw new NetworkSetupError(
          `the range ${clash.text} of ${eni.vpcId} overlaps the host route ${route.dst}${route.dev ? ` dev ${route.dev}` : ''} on this host. ${advice}`,
        );
      }
    }
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

/** The VPC's ranges, primary first, without duplicates; malformed ones refuse the task. */
function vpcRanges(eni: TaskEni): Ipv4Range[] {
  const out: Ipv4Range[] = [];
  for (const text of [eni.vpcCidr, ...(eni.vpcCidrs ?? [])]) {
    const range = parseCidr(text);
    if (!range) throw new NetworkSetupError(`the VPC range ${text} of ${eni.vpcId} is not an IPv4 CIDR`);
    if (!out.some((r) => r.text === range.text)) out.push(range);
  }
  return out;
}
