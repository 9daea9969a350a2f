/** The records the ECS API keeps in the store, and their keys. */
import type {
  Attribute,
  CapacityProviderStrategyItem,
  ClusterConfiguration,
  ClusterServiceConnectDefaults,
  ClusterSetting,
  ContainerInstance,
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
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** A container instance; remaining resources and task counts are computed from its tasks. */
export interface ContainerInstanceRecord {
  instance: Omit<ContainerInstance, 'remainingResources' | 'runningTasksCount' | 'pendingTasksCount'>;
  clusterName: string;
  /** The secret the agent's control channel signs with (never returned by the API). */
  lastHeartbeatAt?: number;
}

/** A task; `assignmentVersion` grows whenever the agent must learn something new about it. */
export interface TaskRecord {
  task: Task;
  clusterName: string;
  assignmentVersion: number;
  /** Highest agent report sequence applied (duplicates are dropped). */
  reportSeq: number;
  /** Epoch ms after which a STOPPED task is forgotten. */
  expiresAt?: number;
  serviceName?: string;
}

/** A service as stored; deployments and events live inside it. */
export interface ServiceRecord {
  service: Service;
  clusterName: string;
}

/** Custom attributes also live on container instances; this is the PutAttributes target form. */
export type AttributeRecord = Attribute;

/** Store keys: parents first, so a prefix lists one cluster's records in key order. */
export const keys = {
  cluster: (name: string): string => name,
  taskDefinition: (family: string, revision: number): string => `${family}:${String(revision).padStart(7, '0')}`,
  taskDefinitionFamily: (family: string): string => `${family}:`,
  containerInstance: (cluster: string, id: string): string => `${cluster}/${id}`,
  task: (cluster: string, id: string): string => `${cluster}/${id}`,
  service: (cluster: string, name: string): string => `${cluster}/${name}`,
  inCluster: (cluster: string): string => `${cluster}/`,
} as const;
