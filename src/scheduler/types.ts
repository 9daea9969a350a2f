/** The scheduler's inputs and outputs: an immutable cluster snapshot, a placement request, a plan. */
import type {
  Attribute,
  PlacementConstraint,
  PlacementStrategy,
  TaskDefinitionPlacementConstraint,
} from '@aws-sdk/client-ecs';
import type { RejectReason } from './reasons.ts';
import type { TaskResources } from './task-resources.ts';

/** Container instance statuses (ECS's `ContainerInstance.status`); only ACTIVE takes new tasks. */
export const InstanceStatus = {
  Registering: 'REGISTERING',
  RegistrationFailed: 'REGISTRATION_FAILED',
  Active: 'ACTIVE',
  Draining: 'DRAINING',
  Deregistering: 'DEREGISTERING',
  Inactive: 'INACTIVE',
} as const;
export type InstanceStatus = (typeof InstanceStatus)[keyof typeof InstanceStatus];

/** A task on an instance, as far as placement cares. It holds resources until `lastStatus` is STOPPED. */
export interface TaskOnInstance {
  readonly taskArn: string;
  /** `family:web` for standalone tasks by default, `service:web` for a service's tasks. */
  readonly group: string;
  readonly family: string;
  readonly desiredStatus: string;
  readonly lastStatus: string;
  /** CPU units and MiB reserved, as `taskResources` accounts them. */
  readonly cpu: number;
  readonly memory: number;
  readonly gpu: number;
  /** Host ports held: static ones, and dynamic ones once the agent reports their numbers. */
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
  /** Dynamic host ports whose numbers are not known yet (placed, not started): one each from the range. */
  readonly pendingDynamicTcpPorts?: number;
  readonly pendingDynamicUdpPorts?: number;
}

/** What the agent registered (`registeredResources` plus `platformDevices`). */
export interface RegisteredResources {
  readonly cpu: number;
  readonly memory: number;
  /** Ports reserved at registration (PORTS / PORTS_UDP), e.g. 22, 2375, 2376, 51678-51680. */
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
  readonly gpuIds: readonly string[];
}

/** One container instance in the snapshot. Plain data; the scheduler never mutates it. */
export interface InstanceSnapshot {
  readonly arn: string;
  /** The 32-hex id at the end of the ARN. */
  readonly id: string;
  /** EC2 instance id, or the `mi-` id of an external instance. */
  readonly ec2InstanceId: string;
  readonly status: InstanceStatus | (string & {});
  readonly agentConnected: boolean;
  readonly agentVersion?: string;
  /** Epoch milliseconds. */
  readonly registeredAt: number;
  /** Attribute name -> value; a key present with `undefined` is a name-only attribute (a capability). */
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly registered: RegisteredResources;
  /** The instance's ephemeral range; ECS's default is 49153-65535 on Linux. */
  readonly dynamicPortRange?: { readonly first: number; readonly last: number };
  readonly tasks: readonly TaskOnInstance[];
  /** Tasks whose desiredStatus is RUNNING, and tasks whose lastStatus is PENDING (ECS's counters). */
  readonly runningTasksCount: number;
  readonly pendingTasksCount: number;
}

/** Everything placement reads about a cluster at one moment. Treat it as immutable. */
export interface ClusterSnapshot {
  readonly instances: readonly InstanceSnapshot[];
}

/** Launch types that place on container instances (Fargate does not go through this scheduler). */
export type InstanceLaunchType = 'EC2' | 'EXTERNAL';

/** One RunTask/StartTask-style placement request (a service's reconcile sends one per missing task batch). */
export interface PlacementRequest {
  /** Seeds every random choice, so the decision can be replayed. */
  readonly requestId: string;
  readonly resources: TaskResources;
  /** 1..10, as RunTask's `count`. */
  readonly count: number;
  readonly group: string;
  readonly family: string;
  /** Defaults to EC2; EXTERNAL places only on external (ECS Anywhere) instances. */
  readonly launchType?: InstanceLaunchType;
  readonly requiresCompatibilities?: readonly string[];
  readonly requiresAttributes?: readonly Attribute[];
  readonly taskDefinitionConstraints?: readonly TaskDefinitionPlacementConstraint[];
  readonly placementConstraints?: readonly PlacementConstraint[];
  /** Empty or missing means RunTask's default, `random`. */
  readonly placementStrategy?: readonly PlacementStrategy[];
}

/** Options for one `place` call. */
export interface PlaceOptions {
  /** Overrides the seed taken from `request.requestId`. */
  readonly seed?: number | string;
  /** Scan every instance instead of the binpack probe; the plan is identical (for tests and benchmarks). */
  readonly exhaustive?: boolean;
}

/** One task placed on one instance. */
export interface Placement {
  readonly instanceArn: string;
  readonly containerInstanceId: string;
  readonly ec2InstanceId: string;
  /** Strategy keys of the chosen instance, in chain order (lower won). */
  readonly scores: readonly number[];
}

/** ECS's `Failure` shape as RunTask returns it: one per task that could not be placed. */
export interface PlacementFailure {
  readonly arn?: string;
  readonly reason: string;
  readonly detail: string;
}

/** How one task of the request was decided. */
export type TaskDecision =
  | { readonly type: 'placed'; readonly instanceArn: string; readonly evaluated: number }
  | {
      readonly type: 'unplaced';
      readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
      readonly closest?: {
        readonly instanceArn: string;
        readonly reason: RejectReason;
        readonly detail: string;
      };
    };

/** The result of `place`: a plan the caller commits (or discards) with optimistic concurrency. */
export interface PlacementPlan {
  readonly placements: readonly Placement[];
  readonly failures: readonly PlacementFailure[];
  readonly explanation: {
    readonly instances: number;
    readonly strategy: readonly PlacementStrategy[];
    readonly tasks: readonly TaskDecision[];
  };
}
