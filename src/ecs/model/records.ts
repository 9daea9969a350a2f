/** The records the ECS API keeps in the store, and their keys. */
import type { Wire } from '../../core/wire.ts';
import type {
  Attribute,
  CapacityProviderStrategyItem,
  ClusterConfiguration,
  ClusterServiceConnectDefaults,
  ClusterSetting,
  ContainerInstance,
  PlacementConstraint,
  PlacementStrategy,
  Service,
  Tag,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

/** A cluster as stored; counts and statistics are computed when described. */
export interface ClusterRecord {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: ClusterServiceConnectDefaults;
  tags: Tag[];
  createdAt: number;
}

/** A task definition revision, exactly as DescribeTaskDefinition returns it, plus its tags. */
export interface TaskDefinitionRecord {
  taskDefinition: Wire<TaskDefinition>;
  tags: Tag[];
}

/** A container instance; remaining resources and task counts are computed from its tasks. */
export interface ContainerInstanceRecord {
  instance: Wire<Omit<ContainerInstance, 'remainingResources' | 'runningTasksCount' | 'pendingTasksCount'>>;
  clusterName: string;
  /** When the agent's control channel last proved it was alive (epoch ms). */
  lastHeartbeatAt?: number;
  /** The control channel connection that holds the agent now (or held it last). */
  agentSession?: AgentSession;
}

/**
 * An agent's control channel connection: which control-plane replica holds it and where the agent
 * connects from (its host: load balancers reach instance targets there). In cluster mode any
 * replica may hold it; a replica that dies leaves its sessions to the leader's sweep.
 */
export interface AgentSession {
  /** Unique per connection: only the connection that recorded it may record its end. */
  id: string;
  replica: string;
  address: string;
  since: number;
}

/**
 * Resources a task holds on its container instance from placement until it is STOPPED, as the
 * scheduler accounted them (`taskResources`): static host ports by number, dynamic ones by count
 * until the agent reports which ports it bound.
 */
export interface Reservation {
  cpu: number;
  memory: number;
  gpu: number;
  tcpPorts: number[];
  udpPorts: number[];
  dynamicTcpPorts: number;
  dynamicUdpPorts: number;
}

/** A task; `assignmentVersion` grows whenever the agent must learn something new about it. */
export interface TaskRecord {
  task: Wire<Task>;
  clusterName: string;
  /** Empty until the task is placed on a container instance. */
  reservation?: Reservation;
  assignmentVersion: number;
  /** Highest agent report sequence applied (duplicates are dropped). */
  reportSeq: number;
  /** Epoch ms after which a STOPPED task is forgotten. */
  expiresAt?: number;
  serviceName?: string;
  /** UpdateTaskProtection: scale-in protection; `expiresAt` is epoch ms. */
  protection?: { enabled: boolean; expiresAt?: number };
  /**
   * Fargate: the container instance whose agent runs the task. ECS shows no container instance
   * for Fargate tasks, so this is not in `task`; the agent channel routes by it.
   */
  host?: TaskHost;
  /** awsvpc: the task's network interface (EC2's record) until it is released after STOPPED. */
  network?: TaskNetwork;
  /**
   * A task of an Auto Scaling group capacity provider waiting in PROVISIONING for an instance:
   * what its placement needs that the task does not show (ecs/model/tasks/provider-placement.ts).
   */
  provisioning?: TaskProvisioning;
  /** A service task's load balancer targets (src/controllers/task-targets). */
  targets?: TaskTargets;
}

/**
 * What a service task is in its load balancers' target groups. `registered` once RUNNING; a stop
 * then deregisters it and the task stays DEACTIVATING (its agent still runs it) while the targets
 * drain; `done` once they are gone, when the agent is told to stop the task.
 */
export interface TaskTargets {
  /** One per service load balancer: the group, the target's id (EC2 instance id or IP) and port. */
  targets: TaskTarget[];
  state: 'registered' | 'draining' | 'done';
  /** Epoch ms. */
  registeredAt: number;
  drainingSince?: number;
}

export interface TaskTarget {
  targetGroupArn: string;
  id: string;
  port: number;
  /** The target's health as its group last reported it (healthy, unhealthy, initial ...), with ELBv2's reason. */
  health?: { state: string; reason?: string; description?: string };
}

export interface TaskProvisioning {
  placementConstraints?: Wire<PlacementConstraint>[];
  placementStrategy?: Wire<PlacementStrategy>[];
  /** Epoch ms it began waiting (ECS stops it after PROVISIONING_TIMEOUT_MS). */
  since: number;
}

export interface TaskHost {
  clusterName: string;
  containerInstanceArn: string;
}

export interface TaskNetwork {
  eniId: string;
  /** ECS's attachment id (a UUID), also in `task.attachments`. */
  attachmentId: string;
  subnetId: string;
  /** True once the ENI is deleted and its address free again (the task is STOPPED). */
  released?: boolean;
}

/** A service as stored; deployments and events live inside it. */
export interface ServiceRecord {
  service: Wire<Service>;
  clusterName: string;
  /** CreateService's clientToken and a fingerprint of its request, for idempotent retries. */
  clientToken?: string;
  requestHash?: string;
  /** Epoch ms after which an INACTIVE service is forgotten (DescribeServices reports MISSING). */
  expiresAt?: number;
  /** What the service controller remembers between passes (src/controllers/service). */
  scheduler?: ServiceSchedulerState;
}

/** Service controller bookkeeping that the tasks themselves cannot tell, by deployment id. */
export interface ServiceSchedulerState {
  /** Epoch ms each deployment's current rollout began (a rollback restarts its target's). */
  rolloutStartedAt?: Record<string, number>;
  /** Epoch ms a deployment COMPLETED, FAILED or was rolled back. */
  finishedAt?: Record<string, number>;
  /** The deployments that still had tasks when each deployment started (its source revisions). */
  sources?: Record<string, string[]>;
  /** A failed or stopped deployment -> the deployment it rolled back to, why, and when (epoch ms). */
  rollbacks?: Record<string, { targetId: string; reason: string; startedAt: number }>;
  /** StopServiceDeployment requests the controller has not acted on yet. */
  stopRequested?: Record<string, 'ROLLBACK' | 'ABORT'>;
  /** Deployment alarms: since when (epoch ms) a steady PRIMARY has been baking, by deployment id. */
  bakingSince?: Record<string, number>;
}

/** Custom attributes also live on container instances; this is the PutAttributes target form. */
export type AttributeRecord = Attribute;

/** Store keys: parents first, so a prefix lists one cluster's records in key order. */
export const keys = {
  cluster: (name: string): string => name,
  taskDefinition: (family: string, revision: number): string =>
    `${family}:${String(revision).padStart(7, '0')}`,
  taskDefinitionFamily: (family: string): string => `${family}:`,
  containerInstance: (cluster: string, id: string): string => `${cluster}/${id}`,
  task: (cluster: string, id: string): string => `${cluster}/${id}`,
  service: (cluster: string, name: string): string => `${cluster}/${name}`,
  inCluster: (cluster: string): string => `${cluster}/`,
} as const;
