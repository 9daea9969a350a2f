/** The reason texts the engine reports, worded as ECS words them. */

export const StopReason = {
  /** Task stoppedReason when an essential container exits. */
  EssentialContainerExited: 'Essential container in task exited',
  /** Container reason when the kernel's OOM killer ended it. */
  OutOfMemory: 'OutOfMemoryError: Container killed due to memory usage',
  /** Container reason when its Docker container disappeared while the agent tracked it. */
  ContainerVanished: 'ContainerVanishedError: No container matching saved ID found',
  /** awsvpc: the pause container holding the task's network namespace stopped while the task ran. */
  PauseContainerExited:
    "Essential container in task exited: the task's network namespace (its internal pause container) stopped",
  /** Task stoppedReason when the agent could not move the task to STOPPED cleanly. */
  UnableToStop: "TaskStateError: Agent could not progress task's state to stopped",
} as const;

/** Prefix for a task the agent cannot set up (network, env files, volumes, host ports, cgroups). */
export function resourceInitializationError(detail: string): string {
  return `ResourceInitializationError: ${detail}`;
}

/** Prefix for a task-definition feature this agent does not implement (yet). */
export function unsupportedFeature(detail: string): string {
  return `UnsupportedFeatureError: ${detail}`;
}
