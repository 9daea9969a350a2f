/**
 * awsvpc for one task, as the engine uses it: provision (pause image; at once the VPC bridge, the
 * pause container and the task's resolv.conf and hosts; then the veth into its namespace, the
 * default-deny firewall and the ENI's address) before any container starts; the firewall
 * replaced whenever the control plane sends one; deprovision (pause container removed, its veth
 * with it, files removed, bridge released) before the task is reported STOPPED.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { TaskAssignment, TaskEni, TaskFirewall } from '../../core/agent-protocol.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { type TaskState, taskIdOf } from '../engine/task-state.ts';
import { contains, routerAddress } from './cidr.ts';
import type { HostCommands } from './commands.ts';
import { DEFAULT_DENY, firewallRestoreInput } from './firewall-rules.ts';
import { deleteLink, linkExists } from './links.ts';
import { plumbNamespace, restoreFilterTable } from './netns.ts';
import { ensurePauseImage } from './pause-image.ts';
import { hostnameOf, pauseNameFor, removePause, startPause } from './pause-container.ts';
import {
  hostResolvConf,
  hostsFor,
  removeTaskFiles,
  resolvConfFor,
  type TaskFiles,
  taskFilesDir,
  writeTaskFiles,
} from './task-files.ts';
import {
  bridgeNameFor,
  NetworkSetupError,
  type VpcNetwork,
  type VpcNetworks,
  vpcRanges,
} from './vpc-networks.ts';

/** What a task holds while it has its network (persisted with the task's resources). */
export interface TaskNetwork {
  vpc: VpcNetwork;
  pauseName: string;
  pauseId: string;
  /** The host end of the task's veth pair, on the VPC bridge. */
  veth: string;
  ipv4Address: string;
  macAddress: string;
  /** resolv.conf and hosts, bind-mounted into every container of the task. */
  files: TaskFiles;
}

export interface TaskNetworkingDeps {
  runtime: ContainerRuntime;
  retry: RetryPolicy;
  logger: Logger;
  vpcs: VpcNetworks;
  instanceArn: string;
  /** Where the tasks' resolv.conf and hosts are written (one directory per task); absolute. */
  filesDir: string;
  /** The static BusyBox the pause image is made from; default /bin/busybox. */
  busybox?: string;
  commands?: HostCommands;
}

/** `lsp` and 12 hex digits of the task ARN's hash: the host end of its veth (15 characters at most). */
export function vethNameFor(taskArn: string): string {
  return `lsp${createHash('sha256').update(taskArn).digest('hex').slice(0, 12)}`;
}

/** The task's `dnsServers` and `dnsSearchDomains` (all containers', first seen first): one resolv.conf per task. */
export function taskDns(assignment: TaskAssignment): { dnsServers: string[]; dnsSearchDomains: string[] } {
  const defs = assignment.containers.map((c) => c.definition);
  return {
    dnsServers: [...new Set(defs.flatMap((d) => d.dnsServers ?? []))],
    dnsSearchDomains: [...new Set(defs.flatMap((d) => d.dnsSearchDomains ?? []))],
  };
}

export class TaskNetworking {
  readonly #d: TaskNetworkingDeps;
  #image: Promise<void> | undefined;
  #local: Promise<boolean> | undefined;

  constructor(deps: TaskNetworkingDeps) {
    this.#d = deps;
  }

  /**
   * Sets up the task's network namespace and closes it to new flows (or applies `firewall`, when
   * one already arrived). Rejects with a NetworkSetupError (or a Docker error) when it cannot;
   * whatever was made is removed by `deprovision`, which every stop runs.
   */
  async provision(
    task: TaskState,
    eni: TaskEni,
    firewall: TaskFirewall | undefined,
    cgroupParent?: string,
  ): Promise<TaskNetwork> {
    const { runtime, retry } = this.#d;
    const { assignment } = task;
    if (!(await this.#daemonIsLocal())) {
      throw new NetworkSetupError(
        'awsvpc needs the Docker daemon on this host (the agent enters the task network namespace through /proc)',
      );
    }
    const range = vpcRanges(eni).find((r) => contains(r, eni.privateIpv4Address));
    if (!range) {
      throw new NetworkSetupError(
        `the task's address ${eni.privateIpv4Address} is not in the ranges of ${eni.vpcId} (${[eni.vpcCidr, ...(eni.vpcCidrs ?? [])].join(', ')})`,
      );
    }
    this.#image ??= withRetry(() => ensurePauseImage(runtime, this.#d.busybox), retry);
    await this.#image.catch((error: unknown) => {
      this.#image = undefined;
      throw error;
    });
    // Independent of each other: the bridge (made by the VPC's first task), the pause container
    // (Docker's start is the longest step) and the files. All settle before anything is thrown,
    // so nothing is still being made when deprovision cleans up after a failure.
    const [vpcResult, pauseResult, filesResult] = await Promise.allSettled([
      this.#d.vpcs.acquire(assignment.taskArn, eni),
      withRetry(
        () => startPause(runtime, { assignment, eni, instanceArn: this.#d.instanceArn, cgroupParent }),
        retry,
      ),
      this.#writeFiles(assignment, eni),
    ]);
    for (const r of [vpcResult, pauseResult, filesResult]) if (r.status === 'rejected') throw r.reason;
    let vpc = (vpcResult as PromiseFulfilledResult<VpcNetwork>).value;
    const pause = (pauseResult as PromiseFulfilledResult<Awaited<ReturnType<typeof startPause>>>).value;
    const files = (filesResult as PromiseFulfilledResult<TaskFiles>).value;
    const veth = vethNameFor(assignment.taskArn);
    const plumb = () =>
      plumbNamespace(
        {
          pid: pause.pid,
          veth,
          bridge: vpc.bridge,
          macAddress: eni.macAddress,
          address: `${eni.privateIpv4Address}/${range.prefix}`,
          gateway: routerAddress(range),
        },
        firewallRestoreInput(firewall ?? DEFAULT_DENY),
        this.#d.commands,
      );
    try {
      await plumb();
    } catch (error) {
      // The last task of another agent removed the bridge between our acquire and the veth: again.
      if (linkExists(vpc.bridge)) throw error;
      vpc = await this.#d.vpcs.acquire(assignment.taskArn, eni);
      await plumb();
    }
    return {
      vpc,
      pauseName: pause.name,
      pauseId: pause.id,
      veth,
      ipv4Address: eni.privateIpv4Address,
      macAddress: eni.macAddress,
      files,
    };
  }

  /** Replaces the namespace's filter table with `firewall` (atomically). */
  async applyFirewall(network: TaskNetwork, firewall: TaskFirewall): Promise<void> {
    const info = await withRetry(() => this.#d.runtime.inspectContainer(network.pauseId), this.#d.retry);
    if (!info?.running || info.pid <= 0) {
      throw new Error(`the pause container ${network.pauseName} is not running`);
    }
    await restoreFilterTable(info.pid, firewallRestoreInput(firewall), this.#d.commands);
  }

  /** A restarted agent: the task's network is still there; count it as in use again. */
  adopt(taskArn: string, network: TaskNetwork): Promise<void> {
    return this.#d.vpcs.adopt(taskArn, network.vpc);
  }

  /**
   * Removes the pause container (by id, or by its name when provisioning never saved one), so its
   * namespace goes; deletes the veth's host end if it outlived the namespace (the kernel frees a
   * namespace asynchronously); removes the task's files; releases the VPC's bridge. Safe to repeat.
   */
  async deprovision(task: TaskState, eni: TaskEni): Promise<void> {
    const { assignment } = task;
    const network = task.resources?.network;
    const pause = network?.pauseId ?? pauseNameFor(assignment);
    await withRetry(() => removePause(this.#d.runtime, pause), this.#d.retry);
    await deleteLink(network?.veth ?? vethNameFor(assignment.taskArn), this.#d.commands);
    await removeTaskFiles(taskFilesDir(this.#d.filesDir, taskIdOf(assignment.taskArn)));
    const vpc = network?.vpc ?? { bridge: bridgeNameFor(eni.vpcId), vpcId: eni.vpcId, ranges: [] };
    await this.#d.vpcs.release(assignment.taskArn, vpc);
  }

  /** The agent stops: host rules of VPC bridges that are gone are removed (running tasks keep theirs). */
  close(): Promise<void> {
    return this.#d.vpcs.close();
  }

  async #writeFiles(assignment: TaskAssignment, eni: TaskEni): Promise<TaskFiles> {
    const dns = taskDns(assignment);
    const resolv = resolvConfFor({ host: await hostResolvConf(), ...dns });
    const hosts = hostsFor(eni.privateIpv4Address, eni.privateDnsName, hostnameOf(eni));
    return writeTaskFiles(taskFilesDir(this.#d.filesDir, taskIdOf(assignment.taskArn)), resolv, hosts);
  }

  #daemonIsLocal(): Promise<boolean> {
    this.#local ??= withRetry(() => this.#d.runtime.info(), this.#d.retry).then(
      (info) => info.local,
      (error: unknown) => {
        this.#local = undefined;
        throw error;
      },
    );
    return this.#local;
  }
}
