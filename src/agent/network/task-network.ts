/**
 * awsvpc for one task, as the engine uses it: provision (pause image, VPC bridge, pause container
 * with the ENI's address and MAC, default-deny firewall) before any container; the firewall
 * replaced whenever the control plane sends one; deprovision (pause stopped and removed, so Docker
 * frees the address, and the bridge released) before the task is reported STOPPED.
 */
import type { Logger } from 'pino';
import type { TaskEni, TaskFirewall } from '../../core/agent-protocol.ts';
import { DockerTerminalError } from '../docker/errors.ts';
import { type RetryPolicy, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import type { TaskState } from '../engine/task-state.ts';
import { DEFAULT_DENY, firewallRestoreInput } from './firewall-rules.ts';
import { type NetnsOptions, restoreFilterTable } from './netns.ts';
import { ensurePauseImage } from './pause-image.ts';
import { pauseNameFor, removePause, startPause } from './pause-container.ts';
import {
  bridgeNameFor,
  NetworkSetupError,
  networkNameFor,
  type VpcNetwork,
  type VpcNetworks,
} from './vpc-networks.ts';

/** What a task holds while it has its network (persisted with the task's resources). */
export interface TaskNetwork {
  vpc: VpcNetwork;
  pauseName: string;
  pauseId: string;
  ipv4Address: string;
  macAddress: string;
}

export interface TaskNetworkingDeps {
  runtime: ContainerRuntime;
  retry: RetryPolicy;
  logger: Logger;
  vpcs: VpcNetworks;
  instanceArn: string;
  /** The static BusyBox the pause image is made from; default /bin/busybox. */
  busybox?: string;
  netns?: NetnsOptions;
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
   * one already arrived). Rejects with a NetworkSetupError (or a Docker error) when it cannot.
   */
  async provision(
    task: TaskState,
    eni: TaskEni,
    firewall: TaskFirewall | undefined,
    cgroupParent?: string,
  ): Promise<TaskNetwork> {
    const { runtime, retry } = this.#d;
    if (!(await this.#daemonIsLocal())) {
      throw new NetworkSetupError(
        'awsvpc needs the Docker daemon on this host (the agent enters the task network namespace through /proc)',
      );
    }
    this.#image ??= withRetry(() => ensurePauseImage(runtime, this.#d.busybox), retry);
    await this.#image.catch((error: unknown) => {
      this.#image = undefined;
      throw error;
    });
    const taskArn = task.assignment.taskArn;
    let vpc = await this.#d.vpcs.acquire(taskArn, eni);
    const start = () =>
      withRetry(
        () =>
          startPause(runtime, {
            assignment: task.assignment,
            eni,
            networkName: vpc.name,
            instanceArn: this.#d.instanceArn,
            cgroupParent,
          }),
        retry,
      );
    let pause: Awaited<ReturnType<typeof startPause>>;
    try {
      pause = await start();
    } catch (error) {
      // The last task of another agent removed the bridge between our acquire and create: again.
      if (!(error instanceof DockerTerminalError && error.statusCode === 404)) throw error;
      vpc = await this.#d.vpcs.acquire(taskArn, eni);
      pause = await start();
    }
    await restoreFilterTable(pause.pid, firewallRestoreInput(firewall ?? DEFAULT_DENY), this.#d.netns);
    return {
      vpc,
      pauseName: pause.name,
      pauseId: pause.id,
      ipv4Address: eni.privateIpv4Address,
      macAddress: eni.macAddress,
    };
  }

  /** Replaces the namespace's filter table with `firewall` (atomically). */
  async applyFirewall(network: TaskNetwork, firewall: TaskFirewall): Promise<void> {
    const info = await withRetry(() => this.#d.runtime.inspectContainer(network.pauseId), this.#d.retry);
    if (!info?.running || info.pid <= 0) {
      throw new Error(`the pause container ${network.pauseName} is not running`);
    }
    await restoreFilterTable(info.pid, firewallRestoreInput(firewall), this.#d.netns);
  }

  /** A restarted agent: the task's network is still there; count it as in use again. */
  adopt(taskArn: string, network: TaskNetwork): Promise<void> {
    return this.#d.vpcs.adopt(taskArn, network.vpc);
  }

  /**
   * Stops and removes the pause container (by id, or by its name when provisioning never saved
   * one), then releases the VPC's bridge. Safe to repeat.
   */
  async deprovision(task: TaskState, eni: TaskEni): Promise<void> {
    const network = task.resources?.network;
    const pause = network?.pauseId ?? pauseNameFor(task.assignment);
    await withRetry(() => removePause(this.#d.runtime, pause), this.#d.retry);
    const vpc = network?.vpc ?? {
      name: networkNameFor(eni.vpcId),
      bridge: bridgeNameFor(eni.vpcId),
      vpcId: eni.vpcId,
    };
    await this.#d.vpcs.release(task.assignment.taskArn, vpc);
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
