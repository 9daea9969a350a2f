/** What the engine's parts share: the runtime, time, randomness, configuration and agent-wide services. */
import type { SecretSource } from './container-secrets.ts';
import type { AwslogsTarget } from './awslogs-config.ts';
import type { Logger } from '../log.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { ContainerInspect, ContainerRuntime } from '../docker/runtime.ts';
import type { RetryPolicy } from '../docker/retry.ts';
import type { StateStore } from '../state/state-store.ts';
import type { HostPortAllocator } from './host-ports.ts';
import type { ImageManager, ResolvedImage } from './image-manager.ts';
import type { TaskCgroups } from './task-cgroup.ts';
import type { TaskResources } from './task-state.ts';
import type { TaskNetworking } from '../network/task-network.ts';

import type { Timers } from '../../core/timers.ts';
import type { RoleType } from '../../core/agent-protocol.ts';
import type { ExecutionRoleClients } from '../execution-role.ts';
import type { CredentialsWait, RoleCredentials } from '../task-credentials.ts';

/** Task and execution role credentials the control plane sent (../task-credentials.ts). */
export interface EngineRoles {
  /** Resolves when every role of the task has its credentials (or an error, or after `timeoutMs`). */
  waitFor(taskArn: string, roleTypes: readonly RoleType[], timeoutMs: number): Promise<CredentialsWait>;
  get(taskArn: string, roleType: RoleType): RoleCredentials | undefined;
  /** Variables for the task's containers: credentials URI (agent-set) and AWS_ENDPOINT_URL (a default). */
  environment(taskArn: string): { agent: Record<string, string>; defaults: Record<string, string> };
  /** Clients signing with an execution role session; undefined when this agent has no control plane endpoint for them. */
  clients?: ExecutionRoleClients;
}

export interface EngineConfig {
  instanceArn: string;
  /** The agent's data directory (EFS access-point mounts live under `efs-mounts/`). */
  dataDir: string;
  /** ECS_CONTAINER_STOP_TIMEOUT: SIGTERM-to-SIGKILL wait when a container sets no stopTimeout. */
  stopTimeoutSeconds: number;
  /** ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION: how long a stopped task's containers are kept. */
  cleanupWaitMs: number;
  retry: RetryPolicy;
}

export interface EngineContext {
  runtime: ContainerRuntime;
  clock: Clock;
  rng: Rng;
  timers: Timers;
  logger: Logger;
  config: EngineConfig;
  store: StateStore;
  images: ImageManager;
  ports: HostPortAllocator;
  cgroups: TaskCgroups;
  /** awsvpc: VPC bridges, pause containers and the firewall in each task's namespace. */
  network: EngineNetworking;
  /** Variables injected into a container: metadata endpoint URIs for its metadata id, AWS_EXECUTION_ENV. */
  agentEnv(metadataId: string): Record<string, string>;
  /** Where an awslogs container of the task logs to; undefined when this agent cannot set it up (why, in `awslogsUnavailable`). */
  awslogs(taskArn: string): AwslogsTarget | undefined;
  /** Why awslogs cannot be used here (no endpoint configured, no 169.254.170.2 route on port 80). */
  awslogsUnavailable(): string;
  /** Where containers' `secrets` are fetched; undefined when this engine has no source. */
  secrets?: SecretSource;
  /** Task and execution role credentials. */
  roles: EngineRoles;
}

/** What the engine asks of awsvpc networking (TaskNetworking, loaded when first used: build-context.ts). */
export type EngineNetworking = Pick<
  TaskNetworking,
  'provision' | 'applyFirewall' | 'adopt' | 'deprovision' | 'close'
>;

/** The outcome of one Docker step, delivered back to the task's actor through its mailbox. */
export type StepResult =
  /** `firewallRevision`: the firewall revision provisioning installed (none: default deny). */
  | { type: 'provisioned'; resources: TaskResources; firewallRevision?: string }
  | { type: 'provision-failed'; reason: string; resources: TaskResources }
  | { type: 'deprovisioned' }
  | { type: 'deprovision-failed'; reason: string }
  | { type: 'pulled'; container: string; image: ResolvedImage }
  | { type: 'created'; container: string; runtimeId: string }
  | { type: 'started'; container: string; info: ContainerInspect | undefined }
  | { type: 'stopped'; container: string; info: ContainerInspect | undefined }
  | { type: 'observed'; container: string; info: ContainerInspect | undefined }
  | {
      type: 'failed';
      container: string;
      step: 'pull' | 'create' | 'start' | 'stop' | 'observe';
      reason: string;
      retriable: boolean;
    };
