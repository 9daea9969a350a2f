/** Typed errors for bad placement input; the control plane maps both to InvalidParameterException. */

/** Base class: anything the caller got wrong in a placement request or a cluster query. */
export class SchedulerInputError extends Error {
  /** The AWS error type ECS answers with for this input. */
  readonly errorType = 'InvalidParameterException' as const;
}

/**
 * A cluster query language expression that does not parse or uses an operator its subject does
 * not support. `position` is the 0-based offset of the offending character in `expression`.
 *
 * Example: `attribute:ecs.instance-type >> t2.micro` fails at position 29 ("expected a value after '>'").
 */
export class QueryError extends SchedulerInputError {
  readonly position: number;
  readonly expression: string;

  constructor(problem: string, position: number, expression: string) {
    super(`Invalid expression: ${problem} at position ${position}.`);
    this.name = 'QueryError';
    this.position = position;
    this.expression = expression;
  }
}

/** A placement constraint, strategy or count that ECS would refuse; `field` names the request member. */
export class PlacementValidationError extends SchedulerInputError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'PlacementValidationError';
    this.field = field;
  }
}
