/** Named reasons an instance is rejected, and the strings ECS puts in RunTask's `failures[].reason`. */

/**
 * Why an instance cannot take the task, in the order the checker chain asks (see checkers/chain.ts).
 * The RESOURCE:* and ATTRIBUTE codes are ECS's own; the others name rules ECS reports in words.
 */
export const Reason = {
  /** Status is not ACTIVE (DRAINING, INACTIVE, REGISTERING ...). */
  Status: 'STATUS',
  /** The agent is disconnected: ECS's `AGENT`. */
  Agent: 'AGENT',
  /** An EC2 instance for an EXTERNAL launch, or the reverse. */
  LaunchType: 'LAUNCH_TYPE',
  /** A `requiresAttributes` entry is missing or has another value. */
  Attribute: 'ATTRIBUTE',
  Cpu: 'RESOURCE:CPU',
  Memory: 'RESOURCE:MEMORY',
  Gpu: 'RESOURCE:GPU',
  /** A static host port is taken, the 100 reserved-port limit is reached, or the dynamic range is full. */
  Ports: 'RESOURCE:PORTS',
  /** A memberOf expression does not match the instance. */
  MemberOf: 'MEMBER_OF',
  /** The instance already runs a task of the same group. */
  DistinctInstance: 'DISTINCT_INSTANCE',
} as const;
export type RejectReason = (typeof Reason)[keyof typeof Reason];

/** Canonical chain order: the index of a reason is how far an instance got before it was rejected. */
export const REASON_ORDER: readonly RejectReason[] = [
  Reason.Status,
  Reason.Agent,
  Reason.LaunchType,
  Reason.Attribute,
  Reason.Cpu,
  Reason.Memory,
  Reason.Gpu,
  Reason.Ports,
  Reason.MemberOf,
  Reason.DistinctInstance,
];

/**
 * The `reason` string RunTask returns for a rejection. ECS answers with the closest matching
 * instance's reason, e.g. `RESOURCE:MEMORY`, or for constraints the sentence its service events quote:
 * `MemberOf placement constraint unsatisfied.`
 */
export function ecsFailureReason(reason: RejectReason): string {
  switch (reason) {
    case Reason.Status:
      return 'INACTIVE';
    case Reason.LaunchType:
      return 'ATTRIBUTE';
    case Reason.MemberOf:
      return 'MemberOf placement constraint unsatisfied.';
    case Reason.DistinctInstance:
      return 'DistinctInstance placement constraint unsatisfied.';
    default:
      return reason;
  }
}

/** RunTask's answer when the cluster has no container instances at all. */
export const NO_CONTAINER_INSTANCES = 'No Container Instances were found in your cluster.';
