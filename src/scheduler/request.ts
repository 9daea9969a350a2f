/** Validates a placement request against ECS's rules and limits, compiling its expressions once. */
import type { Attribute, PlacementConstraint, PlacementStrategy } from '@aws-sdk/client-ecs';
import { PlacementValidationError } from './errors.ts';
import { type CompiledQuery, compileQuery } from './query/compile.ts';
import { parseStrategies, type Strategy } from './strategies/strategy.ts';
import type { TaskResources } from './task-resources.ts';
import type { InstanceLaunchType, PlacementRequest } from './types.ts';

/** RunTask's `count` limit. */
export const MAX_TASKS_PER_REQUEST = 10;
/** "Up to 10 constraints for each task (including constraints in the task definition and those specified at runtime)." */
export const MAX_PLACEMENT_CONSTRAINTS = 10;

/** A request with everything parsed and checked: what the checker chain and scorers are built from. */
export interface CompiledRequest {
  readonly requestId: string;
  readonly count: number;
  readonly group: string;
  readonly family: string;
  readonly resources: TaskResources;
  readonly launchType: InstanceLaunchType;
  readonly requiresAttributes: readonly Attribute[];
  readonly memberOf: readonly CompiledQuery[];
  readonly distinctInstance: boolean;
  readonly strategy: readonly Strategy[];
}

/** Throws PlacementValidationError or QueryError (both InvalidParameterException) for bad input. */
export function compileRequest(request: PlacementRequest): CompiledRequest {
  const { count } = request;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TASKS_PER_REQUEST) {
    throw new PlacementValidationError('count', `count must be between 1 and ${MAX_TASKS_PER_REQUEST}.`);
  }
  const launchType = request.launchType ?? 'EC2';
  const compatibilities = request.requiresCompatibilities ?? [];
  if (compatibilities.length > 0 && !compatibilities.includes(launchType)) {
    throw new PlacementValidationError(
      'launchType',
      `Task definition does not support launch_type ${launchType}.`,
    );
  }
  const { memberOf, distinctInstance } = compileConstraints(request);
  return {
    requestId: request.requestId,
    count,
    group: request.group,
    family: request.family,
    resources: request.resources,
    launchType,
    requiresAttributes: request.requiresAttributes ?? [],
    memberOf,
    distinctInstance,
    strategy: parseStrategies(request.placementStrategy),
  };
}

/** The constraints and strategies of a request, checked as ECS checks them (no task or cluster needed). */
export interface PlacementSettings {
  readonly taskDefinitionConstraints?: readonly PlacementConstraint[];
  readonly placementConstraints?: readonly PlacementConstraint[];
  readonly placementStrategy?: readonly PlacementStrategy[];
}

/**
 * Throws what `place` would throw for these constraints and strategies: for CreateService and
 * UpdateService, which must refuse bad settings before any task is placed.
 */
export function validatePlacement(settings: PlacementSettings): void {
  compileConstraints(settings);
  parseStrategies(settings.placementStrategy);
}

function compileConstraints(settings: PlacementSettings): {
  memberOf: CompiledQuery[];
  distinctInstance: boolean;
} {
  const constraints = [
    ...(settings.taskDefinitionConstraints ?? []),
    ...(settings.placementConstraints ?? []),
  ];
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) {
    throw new PlacementValidationError(
      'placementConstraints',
      `The number of placement constraints (${constraints.length}) exceeds the limit of ${MAX_PLACEMENT_CONSTRAINTS}, counting the task definition's.`,
    );
  }
  const memberOf: CompiledQuery[] = [];
  let distinctInstance = false;
  for (const c of constraints) {
    if (c.type === 'memberOf') {
      if (!c.expression?.trim()) {
        throw new PlacementValidationError(
          'placementConstraints',
          'A memberOf placement constraint requires an expression.',
        );
      }
      memberOf.push(compileQuery(c.expression));
    } else if (c.type === 'distinctInstance') {
      if (c.expression) {
        throw new PlacementValidationError(
          'placementConstraints',
          "An expression can't be specified for a distinctInstance placement constraint.",
        );
      }
      distinctInstance = true;
    } else {
      throw new PlacementValidationError(
        'placementConstraints',
        `Invalid placement constraint type '${c.type ?? ''}'. Valid types are distinctInstance and memberOf.`,
      );
    }
  }
  return { memberOf, distinctInstance };
}
