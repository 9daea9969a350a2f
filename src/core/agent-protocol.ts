/**
 * Messages between the control plane and an agent over the control channel (a signed WebSocket).
 *
 * Every message is idempotent: assignments carry the task's desired status and a version that
 * only grows, and state reports carry a per-task sequence number, so a message delivered twice
 * (after a reconnect, say) changes nothing the second time.
 */
import type { ContainerDefinition, TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';

/** The path of the control channel's WebSocket on the control plane's port (DiscoverPollEndpoint names the port). */
export const AGENT_CHANNEL_PATH = '/agent/v1/connect';

/**
 * The join exchange (unsigned `POST`, JSON `{token, hostname?}`): a join token for the agent's own
 * key pair, answered `{accessKeyId, secretAccessKey, roleArn}` (docs/agents.md).
 */
export const AGENT_JOIN_PATH = '/longshore/v1/agents/join';

/** Attributes Longshore's agent registers are named under this prefix; like ECS's `ecs.*`, they are not the user's. */
export const LONGSHORE_ATTRIBUTE_PREFIX = 'longshore.';
/** The agent's dynamic host port range (`32768-60999`), which placement honours for `hostPort: 0`. */
export const PORT_RANGE_ATTRIBUTE = `${LONGSHORE_ATTRIBUTE_PREFIX}dynamic-host-port-range`;

/** Task statuses an agent reports, in the only order they may move (ECS's lifecycle). */
export const TaskStatusOrder = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
] as const;
export type TaskStatus = (typeof TaskStatusOrder)[number];

/** Container statuses, in order. */
export const ContainerStatusOrder = ['PENDING', 'RUNNING', 'STOPPED'] as const;
export type ContainerStatus = (typeof ContainerStatusOrder)[number];

/** ECS stop codes. */
export const StopCode = {
  TaskFailedToStart: 'TaskFailedToStart',
  EssentialContainerExited: 'EssentialContainerExited',
  UserInitiated: 'UserInitiated',
  ServiceSchedulerInitiated: 'ServiceSchedulerInitiated',
  SpotInterruption: 'SpotInterruption',
  TerminationNotice: 'TerminationNotice',
} as const;
export type StopCode = (typeof StopCode)[keyof typeof StopCode];

/** One container of an assigned task: its definition with overrides already applied. */
export interface ContainerAssignment {
  name: string;
  containerArn: string;
  definition: ContainerDefinition;
}

/** The control plane's instruction for one task on one agent. */
export interface TaskAssignment {
  taskArn: string;
  clusterArn: string;
  containerInstanceArn: string;
  /** `family:revision` of the task definition. */
  taskDefinitionArn: string;
  /** The task definition as registered (volumes, networkMode, task cpu/memory, pidMode...). */
  taskDefinition: TaskDefinition;
  overrides: TaskOverride;
  containers: ContainerAssignment[];
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** Why the task should stop, when desiredStatus is STOPPED (StopTask's reason). */
  stoppedReason?: string;
  stopCode?: StopCode;
  /** Grows by one on every change the control plane makes to the assignment. */
  version: number;
  /** awsvpc tasks: the elastic network interface the control plane created for the task. */
  eni?: TaskEni;
  /**
   * Fargate tasks: the host runs them on capacity it offers to every cluster of its region; the
   * task shows no container instance (`containerInstanceArn` above is the host's, for routing).
   */
  fargate?: { platformVersion: string; ephemeralStorageGiB: number };
  /**
   * EFS volumes by volume name: what the control plane resolved of each efsVolumeConfiguration
   * (the agent has no store), or why it cannot be mounted. Absent when the task has none.
   */
  efsVolumes?: Record<string, TaskEfsVolume>;
}

/**
 * One efsVolumeConfiguration as the agent mounts it: the file system's directory as every host
 * sees it (the control plane's FileSystemBackend, src/efs/model/file-system-backend.ts) and the
 * access point's identity and root directory.
 */
export interface TaskEfsVolume {
  fileSystemId: string;
  /** The file system's root on the host (absent with `error`). */
  path?: string;
  accessPoint?: {
    accessPointId: string;
    posixUser?: { uid: number; gid: number; secondaryGids?: number[] };
    rootDirectory?: {
      path: string;
      creationInfo?: { ownerUid: number; ownerGid: number; permissions: string };
    };
  };
  /** Why it cannot be mounted (an unknown file system or access point), worded as ECS words it. */
  error?: string;
}

/**
 * An awsvpc task's network interface, as the control plane allocated it (EC2's records): the
 * agent gives the task's network namespace exactly this address and MAC in a bridge for the VPC.
 */
export interface TaskEni {
  /** ECS's attachment id (a UUID), as DescribeTasks shows it. */
  attachmentId: string;
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  /** `0a:1b:...`, lower case. */
  macAddress: string;
  privateIpv4Address: string;
  privateDnsName: string;
  /** The subnet's range, e.g. `172.31.16.0/20`. */
  subnetCidr: string;
  /** The subnet's router: the range's first address plus one (`172.31.16.1`), as in a VPC. */
  subnetGatewayIpv4Address: string;
  /** The VPC's primary range (`172.31.0.0/16`): one bridge per VPC spans every subnet of it. */
  vpcCidr: string;
  /** Every range of the VPC, primary first (addresses in any of them are in the VPC). */
  vpcCidrs: string[];
  /** assignPublicIp: ENABLED. */
  assignPublicIp: boolean;
}

/**
 * One allowed flow of a security group, resolved to IPv4 ranges: the control plane expands
 * references to other groups into the /32 addresses of their current members.
 * `protocol: 'all'` ignores ports; `icmp` ignores ports (every type and code).
 */
export interface FirewallRule {
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  /** Inclusive port range (tcp/udp). */
  fromPort?: number;
  toPort?: number;
  /** Sources (ingress) or destinations (egress). */
  cidrs: string[];
}

/** The union of an awsvpc task's security groups: stateful, default deny, rules allow. */
export interface TaskFirewall {
  ingress: FirewallRule[];
  egress: FirewallRule[];
}

/** Port binding as ECS reports it in `networkBindings`. */
export interface NetworkBinding {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

/** What an agent knows about one container. Timestamps are epoch milliseconds. */
export interface ContainerReport {
  name: string;
  lastStatus: ContainerStatus;
  runtimeId?: string;
  exitCode?: number;
  reason?: string;
  image?: string;
  imageDigest?: string;
  networkBindings?: NetworkBinding[];
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** What an agent knows about one task; sent whenever anything in it changes. */
export interface TaskReport {
  taskArn: string;
  lastStatus: TaskStatus;
  /** Per task, grows by one on every report, so a duplicate is recognised and dropped. */
  seq: number;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  stopCode?: StopCode;
  stoppedReason?: string;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  containers: ContainerReport[];
}

/** Control plane -> agent. */
export type ServerMessage =
  /** `usageSampleMs`: how often the control plane wants usage samples (absent: the agent's default). */
  | {
      type: 'welcome';
      containerInstanceArn: string;
      heartbeatMs: number;
      usageSampleMs?: number;
      /** Cluster mode: the endpoints of every live control-plane replica (where to reconnect when this one goes). */
      replicas?: string[];
    }
  | { type: 'assign'; tasks: TaskAssignment[] }
  | { type: 'ack'; taskArn: string; seq: number }
  | { type: 'heartbeat'; at: number }
  /**
   * The current firewall of an awsvpc task; sent after its assignment and again whenever a
   * security group or its membership changes. Replaces the previous one; `revision` is a digest
   * of the content, so a repeat changes nothing.
   */
  | { type: 'firewall'; taskArn: string; firewall: TaskFirewall; revision: string }
  /**
   * A task role's or execution role's credentials (ECS's IAMRoleCredentialsMessage): sent after the
   * task's assignment, again before they expire, and on every connect. `credentialsId` names them
   * at the agent's `/v2/credentials/<id>` and never changes for a task and role; `error` (ECS's
   * text) when the role cannot be assumed, which stops the task. Never logged by either side.
   */
  | TaskCredentialsMessage;

/** The two roles of a task, as ECS names them (`roleType`). */
export const RoleType = { TaskApplication: 'TaskApplication', TaskExecution: 'TaskExecution' } as const;
export type RoleType = (typeof RoleType)[keyof typeof RoleType];

export interface TaskCredentialsMessage {
  type: 'credentials';
  taskArn: string;
  roleType: RoleType;
  roleArn: string;
  credentialsId: string;
  credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    /** Epoch ms. */
    expiration: number;
  };
  error?: string;
}

/**
 * What a RUNNING task used over the last sampling interval (Docker stats of its containers): CPU
 * in ECS's units (1,024 per core), memory in MiB (usage without the page cache), as the ECS agent
 * measures them for CloudWatch's AWS/ECS metrics.
 */
export interface TaskUsage {
  taskArn: string;
  cpuUnits: number;
  memoryMiB: number;
  /**
   * Counters since the containers started, summed over them (Docker stats `networks` and
   * `blkio_stats`): bytes received and sent, read from and written to block devices. For Container
   * Insights; agents before them send none.
   */
  networkRxBytes?: number;
  networkTxBytes?: number;
  storageReadBytes?: number;
  storageWriteBytes?: number;
}

/** Agent -> control plane. */
export type AgentMessage =
  | { type: 'hello'; containerInstanceArn: string; knownTasks: { taskArn: string; version: number }[] }
  | { type: 'report'; report: TaskReport }
  | { type: 'heartbeat'; at: number }
  /** Resource usage of the agent's RUNNING tasks, every sampling interval (epoch ms `at`). */
  | { type: 'usage'; at: number; tasks: TaskUsage[] };
