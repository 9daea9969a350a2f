/** The engine's record of one task and its containers: what is persisted and what reports are built from. */
import type {
  NetworkBinding,
  StopCode,
  TaskAssignment,
  TaskFirewall,
  TaskReport,
  TaskStatus,
} from '../../core/agent-protocol.ts';
import type { TaskNetwork } from '../network/task-network.ts';

/**
 * A container's known status, in the only order it may move (the real agent's NONE < PULLED <
 * CREATED < RUNNING < STOPPED). The control plane sees PENDING for the first three.
 */
export const ContainerKnownOrder = ['NONE', 'PULLED', 'CREATED', 'RUNNING', 'STOPPED'] as const;
export type ContainerKnown = (typeof ContainerKnownOrder)[number];

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface ContainerState {
  name: string;
  /** Docker name, chosen and persisted before create so a crash mid-create is recovered by name. */
  dockerName: string;
  /** Secret path segment of this container's metadata endpoint URL. */
  metadataId: string;
  runtimeId?: string;
  known: ContainerKnown;
  desired: 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  health: HealthStatus;
  healthSince?: number;
  imageId?: string;
  imageDigest?: string;
  /** Epoch ms, from the engine's clock. */
  pullStartedAt?: number;
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
  networkBindings: NetworkBinding[];
  ipv4Address?: string;
  /** Docker sent an `oom` event for it (inspect's OOMKilled can miss a kill that raced the exit). */
  oomEvent?: boolean;
}

/** A host port the agent allocated for a bridge-mode portMapping with hostPort 0 or omitted. */
export interface HostPortAllocation {
  container: string;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostPort: number;
}

/** How a task volume is provided to Docker. */
export type TaskVolume =
  | { name: string; type: 'bind'; hostPath: string }
  | { name: string; type: 'docker'; dockerName: string; scope: 'task' | 'shared' }
  /** An EFS volume: the directory of its file system (below rootDirectory / the access point's root). */
  | { name: string; type: 'efs'; fileSystemId: string; hostPath: string; accessPointId?: string };

/** Task-level resources, set up while PROVISIONING and released at STOPPED or cleanup. */
export interface TaskResources {
  hostPorts: HostPortAllocation[];
  volumes: TaskVolume[];
  /** Cgroup parent (e.g. `/longshore/<task-id>`) when task-level cpu/memory is enforced that way. */
  cgroupParent?: string;
  /** awsvpc: the VPC bridge and the pause container holding the task's network namespace. */
  network?: TaskNetwork;
}

export interface TaskState {
  assignment: TaskAssignment;
  known: TaskStatus;
  desired: 'RUNNING' | 'STOPPED';
  stopCode?: StopCode;
  stoppedReason?: string;
  resources?: TaskResources;
  /** awsvpc: the latest security-group rules the control plane sent (applied in the namespace). */
  firewall?: { rules: TaskFirewall; revision: string };
  /** awsvpc: when the pause container was removed and the bridge released (before STOPPED). */
  networkReleasedAt?: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  /** When known became STOPPED: cleanup runs a configured wait after it. */
  stoppedAt?: number;
  /** When cleanup removed the task's containers, volumes and cgroup. */
  cleanedAt?: number;
  containers: ContainerState[];
  /** The last report emitted (its seq is the task's seq); compared to decide whether to report again. */
  lastReport?: TaskReport;
  /** Highest seq the control plane acknowledged. */
  ackedSeq: number;
}

export function containerAtLeast(c: ContainerState, status: ContainerKnown): boolean {
  return ContainerKnownOrder.indexOf(c.known) >= ContainerKnownOrder.indexOf(status);
}

export function findContainer(task: TaskState, name: string): ContainerState | undefined {
  return task.containers.find((c) => c.name === name);
}

/** An awsvpc task with an ENI whose network is not yet released: it must be, before STOPPED. */
export function needsNetworkRelease(task: TaskState): boolean {
  return (
    task.assignment.taskDefinition.networkMode === 'awsvpc' &&
    task.assignment.eni !== undefined &&
    task.networkReleasedAt === undefined
  );
}

/** The task id: the last path segment of its ARN. */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
