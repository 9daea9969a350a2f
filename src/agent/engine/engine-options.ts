/** TaskEngine options and their defaults (the real agent's ECS_* settings where one exists). */
import type { SecretSource } from './container-secrets.ts';
import type { ExecutionRoleClients } from '../execution-role.ts';
import type { Logger } from '../log.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { RetryPolicy } from '../docker/retry.ts';
import type { ContainerRuntime, RegistryAuth } from '../docker/runtime.ts';
import type { MetadataServerOptions } from '../endpoints/metadata-server.ts';
import type { Timers } from '../../core/timers.ts';
import type { PortRange } from './host-ports.ts';
import type { ImagePullBehavior } from './image-manager.ts';

export interface TaskEngineOptions {
  /** Where the engine keeps its state (one JSON file per task, plus engine.json). */
  dataDir: string;
  /** This agent's container instance ARN: labels its containers so it adopts only its own. */
  containerInstanceArn: string;
  /** Default: Docker Engine over dockerode (DOCKER_HOST or /var/run/docker.sock). */
  runtime?: ContainerRuntime;
  clock?: Clock;
  rng?: Rng;
  timers?: Timers;
  logger?: Logger;
  /** ECS_IMAGE_PULL_BEHAVIOR; default `default`. */
  imagePullBehavior?: ImagePullBehavior;
  /** ECS_CONTAINER_STOP_TIMEOUT in seconds; default 30. */
  containerStopTimeoutSeconds?: number;
  /** ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION in ms; default 3 h. */
  taskCleanupWaitMs?: number;
  /** ECS_DYNAMIC_HOST_PORT_RANGE; default 32768-60999. */
  hostPortRange?: PortRange;
  /** Retries of Docker calls that fail because the daemon is unreachable; then the step fails. */
  dockerRetry?: RetryPolicy;
  /** The Task Metadata Endpoint; `false` disables it (no ECS_CONTAINER_METADATA_URI* injected). */
  metadataEndpoint?: MetadataServerOptions | false;
  /** fsync state writes (survive a machine crash, not only a process crash); default true. */
  durableWrites?: boolean;
  /** awsvpc: the static BusyBox the pause image is built from when the engine lacks it (default /bin/busybox). */
  awsvpc?: { busybox?: string };
  /** Credentials for an image's registry when it is a private one (Longshore's own registry). */
  registryAuth?: (ref: string) => Promise<RegistryAuth | undefined>;
  /** Where to pull an image from when not from its own name (see ImageManager). */
  pullSource?: (ref: string) => Promise<string>;
  /** The registry refused the credentials `registryAuth` gave for `ref`: forget them (one fresh try follows). */
  registryAuthRejected?: (ref: string) => void;
  /**
   * awslogs containers: Docker's awslogs driver sends to Longshore's CloudWatch Logs at `endpoint`
   * with these credentials (ECS uses the task execution role; until IAM exists, the agent's key
   * pair), fetched from the agent's credentials endpoint. Without it awslogs tasks fail to start.
   */
  awslogs?: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /**
   * The control plane's endpoint: relayed to from the agent's endpoint address, which containers
   * get as AWS_ENDPOINT_URL (endpoints/api-relay.ts). Unset: no relay and no AWS_ENDPOINT_URL.
   */
  apiEndpoint?: string | (() => string);
  /** Clients signing with a task's execution role session (ECR logins, secrets); unset: the agent's credentials. */
  executionRole?: ExecutionRoleClients;
  /** Where containers' `secrets` are fetched (Secrets Manager and Parameter Store on the control plane). */
  secrets?: SecretSource;
  /** Re-read every container from Docker this often, in case an event was missed; default 5 min. */
  reconcileIntervalMs?: number;
}

export const ENGINE_DEFAULTS = {
  imagePullBehavior: 'default',
  containerStopTimeoutSeconds: 30,
  /** 3 hours, ECS's default. */
  taskCleanupWaitMs: 3 * 60 * 60_000,
  /** The real agent's steady-state check interval. */
  reconcileIntervalMs: 5 * 60_000,
  durableWrites: true,
} as const;
