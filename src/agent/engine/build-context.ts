/** Assembles the EngineContext from TaskEngine options, with the defaults of engine-options.ts. */
import type { AwslogsTarget } from './awslogs-config.ts';
import { resolve } from 'node:path';
import type { Logger } from '../log.ts';
import { DEFAULT_RETRY_POLICY, withRetry } from '../docker/retry.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import type { StateStore } from '../state/state-store.ts';
import { cryptoRng, systemClock } from './defaults.ts';
import { realTimers } from '../../core/system.ts';
import type { EngineContext, EngineNetworking, EngineRoles } from './engine-context.ts';
import { ENGINE_DEFAULTS, type TaskEngineOptions } from './engine-options.ts';
import { DEFAULT_PORT_RANGE, HostPortAllocator } from './host-ports.ts';
import { ImageManager } from './image-manager.ts';
import { lazyTaskCgroups } from './task-cgroup.ts';
import type { TaskNetworking, TaskNetworkingDeps } from '../network/task-network.ts';
import type { LinkLocalBridges } from '../network/vpc-networks.ts';

export interface ContextDeps {
  runtime: ContainerRuntime;
  logger: Logger;
  store: StateStore;
  pulledImages: string[];
  /** Persists that the agent pulled an image (for ECS_IMAGE_PULL_BEHAVIOR=once). */
  onPulled(ref: string): Promise<void>;
  /** Variables injected into a container for its metadata id. */
  agentEnv(metadataId: string): Record<string, string>;
  /** The metadata endpoint's link-local route, for VPC bridges (undefined when it has none). */
  linkLocal(): LinkLocalBridges | undefined;
  awslogs(taskArn: string): AwslogsTarget | undefined;
  awslogsUnavailable(): string;
  roles: EngineRoles;
}

export function buildContext(o: TaskEngineOptions, deps: ContextDeps): EngineContext {
  const retry = o.dockerRetry ?? DEFAULT_RETRY_POLICY;
  const rng = o.rng ?? cryptoRng;
  const { runtime, logger } = deps;
  return {
    runtime,
    clock: o.clock ?? systemClock,
    rng,
    timers: o.timers ?? realTimers,
    logger,
    store: deps.store,
    config: {
      instanceArn: o.containerInstanceArn,
      dataDir: o.dataDir,
      stopTimeoutSeconds: o.containerStopTimeoutSeconds ?? ENGINE_DEFAULTS.containerStopTimeoutSeconds,
      cleanupWaitMs: o.taskCleanupWaitMs ?? ENGINE_DEFAULTS.taskCleanupWaitMs,
      retry,
    },
    images: new ImageManager({
      runtime,
      behavior: o.imagePullBehavior ?? ENGINE_DEFAULTS.imagePullBehavior,
      retry,
      pulledImages: deps.pulledImages,
      onPulled: deps.onPulled,
      registryAuth: o.registryAuth,
      pullSource: o.pullSource,
      registryAuthRejected: o.registryAuthRejected,
      log: logger,
    }),
    ports: new HostPortAllocator(o.hostPortRange ?? DEFAULT_PORT_RANGE, rng),
    cgroups: lazyTaskCgroups(
      () => withRetry(() => runtime.info(), retry),
      (cgroups) => {
        if (cgroups.fallbackReason)
          logger.info({ reason: cgroups.fallbackReason }, 'task cpu/memory limits are per container');
      },
    ),
    agentEnv: deps.agentEnv,
    awslogs: deps.awslogs,
    awslogsUnavailable: deps.awslogsUnavailable,
    roles: deps.roles,
    ...(o.secrets ? { secrets: o.secrets } : {}),
    network: lazyNetworking({
      runtime,
      retry,
      logger,
      instanceArn: o.containerInstanceArn,
      busybox: o.awsvpc?.busybox,
      filesDir: resolve(o.dataDir, 'awsvpc'),
      linkLocal: deps.linkLocal,
    }),
  };
}

/**
 * awsvpc networking, its modules loaded when it is first used: by an awsvpc task, or when the
 * engine stops (it sweeps the host rules of removed VPC bridges then, as it always did). An agent
 * that runs no awsvpc task does not carry them while it runs.
 */
function lazyNetworking(
  deps: Omit<TaskNetworkingDeps, 'vpcs'> & { linkLocal(): LinkLocalBridges | undefined },
): EngineNetworking {
  let loaded: Promise<TaskNetworking> | undefined;
  const networking = () =>
    (loaded ??= Promise.all([
      import('../network/task-network.ts'),
      import('../network/vpc-networks.ts'),
      import('../network/host-routes.ts'),
    ]).then(([{ TaskNetworking }, { VpcNetworks }, { hostRoutes }]) => {
      const { linkLocal, ...rest } = deps;
      const vpcs = new VpcNetworks({
        runtime: deps.runtime,
        retry: deps.retry,
        logger: deps.logger,
        hostRoutes: () => hostRoutes(),
        linkLocal,
      });
      return new TaskNetworking({ ...rest, vpcs });
    }));
  return {
    provision: async (...args) => (await networking()).provision(...args),
    applyFirewall: async (...args) => (await networking()).applyFirewall(...args),
    adopt: async (...args) => (await networking()).adopt(...args),
    deprovision: async (...args) => (await networking()).deprovision(...args),
    close: async () => (await networking()).close(),
  };
}
