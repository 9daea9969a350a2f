/** Placement strategies: validation into a typed chain, ECS's defaults, and ECS's limits. */
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import { PlacementValidationError } from '../errors.ts';

export type Strategy =
  | { readonly type: 'random' }
  | { readonly type: 'binpack'; readonly field: 'cpu' | 'memory' }
  /** `attribute` undefined spreads per instance (`instanceId` or its synonym `host`). */
  | { readonly type: 'spread'; readonly field: string; readonly attribute: string | undefined };

/** ECS: "You can specify a maximum of 5 strategy rules for each task." */
export const MAX_PLACEMENT_STRATEGIES = 5;

/** RunTask without a strategy "distribute[s] tasks randomly across your cluster". */
export const DEFAULT_RUN_TASK_STRATEGY: readonly PlacementStrategy[] = [{ type: 'random' }];

/**
 * A service without a strategy: spread across Availability Zones, then across the instances in
 * each zone (the console's "AZ balanced spread").
 */
export const DEFAULT_SERVICE_STRATEGY: readonly PlacementStrategy[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

const ATTRIBUTE_NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;

/**
 * Checks a request's strategies and returns the chain to apply (RunTask's default when empty).
 * Field names for binpack and instanceId/host are accepted in any case, as ECS does (`MEMORY`).
 */
export function parseStrategies(list: readonly PlacementStrategy[] | undefined): Strategy[] {
  const given = list && list.length > 0 ? list : DEFAULT_RUN_TASK_STRATEGY;
  if (given.length > MAX_PLACEMENT_STRATEGIES) {
    throw new PlacementValidationError(
      'placementStrategy',
      `The number of placement strategies (${given.length}) exceeds the limit of ${MAX_PLACEMENT_STRATEGIES}.`,
    );
  }
  return given.map(parseStrategy);
}

function parseStrategy(s: PlacementStrategy): Strategy {
  const field = s.field ?? '';
  switch (s.type) {
    case 'random':
      return { type: 'random' };
    case 'binpack': {
      const resource = field.toLowerCase();
      if (resource === 'cpu' || resource === 'memory') return { type: 'binpack', field: resource };
      throw new PlacementValidationError(
        'placementStrategy',
        `Invalid field '${field}' for the binpack placement strategy. Valid fields are cpu and memory.`,
      );
    }
    case 'spread': {
      const lower = field.toLowerCase();
      if (lower === 'instanceid' || lower === 'host') return { type: 'spread', field, attribute: undefined };
      const name = field.startsWith('attribute:') ? field.slice('attribute:'.length) : undefined;
      if (name !== undefined && ATTRIBUTE_NAME.test(name)) return { type: 'spread', field, attribute: name };
      throw new PlacementValidationError(
        'placementStrategy',
        `Invalid field '${field}' for the spread placement strategy. Valid fields are instanceId, host and attribute:<name>.`,
      );
    }
    default:
      throw new PlacementValidationError(
        'placementStrategy',
        `Invalid placement strategy type '${s.type ?? ''}'. Valid types are random, spread and binpack.`,
      );
  }
}

/** The chain back in ECS's shape, for explanations and API echoes. */
export function toPlacementStrategy(s: Strategy): PlacementStrategy {
  return s.type === 'random' ? { type: 'random' } : { type: s.type, field: s.field };
}
