/** placementConstraints and placementStrategy as CreateService/UpdateService accept them. */
import type {
  PlacementConstraint,
  PlacementStrategy,
  SchedulingStrategy,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { QueryError } from '../../scheduler/errors.ts';
import { parseExpression } from '../../scheduler/query/parser.ts';
import { checkEnum } from '../model/validation.ts';

/** "A maximum of 10 constraints for each task", counting the task definition's. */
const MAX_CONSTRAINTS = 10;
const MAX_STRATEGIES = 5;
const CONSTRAINT_TYPES = ['memberOf', 'distinctInstance'] as const;
const STRATEGY_TYPES = ['random', 'spread', 'binpack'] as const;
const BINPACK_FIELDS = ['cpu', 'memory'];

export function validateConstraints(
  constraints: readonly PlacementConstraint[],
  taskDefinition: Wire<TaskDefinition>,
): PlacementConstraint[] {
  const total = constraints.length + (taskDefinition.placementConstraints ?? []).length;
  if (total > MAX_CONSTRAINTS) {
    throw invalidParameter(
      `A task can have at most ${MAX_CONSTRAINTS} placement constraints, counting the task definition's; got ${total}.`,
    );
  }
  return constraints.map((c) => {
    const type = checkEnum('placementConstraints.type', c.type, CONSTRAINT_TYPES);
    if (type === undefined) throw invalidParameter('placementConstraints.type can not be blank.');
    if (type === 'distinctInstance') {
      if (c.expression !== undefined && c.expression !== '') {
        throw invalidParameter('A distinctInstance placement constraint does not take an expression.');
      }
      return { type };
    }
    if (c.expression === undefined || c.expression.trim() === '') {
      throw invalidParameter('A memberOf placement constraint requires an expression.');
    }
    checkExpression(c.expression);
    return { type, expression: c.expression };
  });
}

/** Strategies are best effort, but malformed ones are refused; DAEMON services take none. */
export function validateStrategies(
  strategies: readonly PlacementStrategy[],
  scheduling: SchedulingStrategy,
): PlacementStrategy[] {
  if (strategies.length > 0 && scheduling === 'DAEMON') {
    // The message ECS returns (kayac/ecspresso#402, reproio/ecs_deploy#93).
    throw invalidParameter(
      'The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again',
    );
  }
  if (strategies.length > MAX_STRATEGIES) {
    throw invalidParameter(
      `A service can have at most ${MAX_STRATEGIES} placement strategies; got ${strategies.length}.`,
    );
  }
  return strategies.map((s) => {
    const type = checkEnum('placementStrategy.type', s.type, STRATEGY_TYPES);
    if (type === undefined) throw invalidParameter('placementStrategy.type can not be blank.');
    // random: "this field is not used", so a field is kept but ignored.
    if (type === 'random') return s.field === undefined ? { type } : { type, field: s.field };
    const field = s.field ?? '';
    if (type === 'binpack' && !BINPACK_FIELDS.includes(field.toLowerCase())) {
      throw invalidParameter(
        `Invalid field '${field}' for the binpack placement strategy; use cpu or memory.`,
      );
    }
    if (type === 'spread' && !isSpreadField(field)) {
      throw invalidParameter(
        `Invalid field '${field}' for the spread placement strategy; use instanceId, host or attribute:<name>.`,
      );
    }
    return { type, field };
  });
}

function isSpreadField(field: string): boolean {
  const lower = field.toLowerCase();
  return lower === 'instanceid' || lower === 'host' || (lower.startsWith('attribute:') && field.length > 10);
}

function checkExpression(expression: string): void {
  try {
    parseExpression(expression);
  } catch (error) {
    if (error instanceof QueryError) throw invalidParameter(error.message);
    throw error;
  }
}
