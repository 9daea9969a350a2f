/** Builds a PlacementRequest from what RunTask/StartTask/a service carries: a task definition plus options. */
import type {
  PlacementConstraint,
  PlacementStrategy,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { taskResources } from './task-resources.ts';
import type { InstanceLaunchType, PlacementRequest } from './types.ts';

export interface PlacementRequestInput {
  readonly requestId: string;
  readonly taskDefinition: TaskDefinition;
  readonly overrides?: TaskOverride;
  readonly count?: number;
  /** RunTask's `group`; defaults to `family:<family>`. Services pass `service:<name>`. */
  readonly group?: string;
  readonly launchType?: InstanceLaunchType;
  readonly placementConstraints?: readonly PlacementConstraint[];
  /** Services pass theirs, or DEFAULT_SERVICE_STRATEGY; RunTask's empty list means `random`. */
  readonly placementStrategy?: readonly PlacementStrategy[];
}

/**
 * The request `place` takes. Task-definition constraints and `requiresAttributes` come from the
 * definition; resources are accounted by `taskResources` with the overrides applied.
 */
export function placementRequest(input: PlacementRequestInput): PlacementRequest {
  const td = input.taskDefinition;
  const family = td.family ?? '';
  return {
    requestId: input.requestId,
    resources: taskResources(td, input.overrides),
    count: input.count ?? 1,
    group: input.group ?? `family:${family}`,
    family,
    launchType: input.launchType,
    requiresCompatibilities: td.requiresCompatibilities,
    requiresAttributes: td.requiresAttributes,
    taskDefinitionConstraints: td.placementConstraints,
    placementConstraints: input.placementConstraints,
    placementStrategy: input.placementStrategy,
  };
}
