/** EventBridge's error types, as its model names them (ValidationException is Coral's, not the model's). */
import { ServiceError } from '../../core/errors.ts';

export const EventsErrorCode = {
  Validation: 'ValidationException',
  NotFound: 'ResourceNotFoundException',
  AlreadyExists: 'ResourceAlreadyExistsException',
  LimitExceeded: 'LimitExceededException',
  InvalidEventPattern: 'InvalidEventPatternException',
  ManagedRule: 'ManagedRuleException',
  PolicyLengthExceeded: 'PolicyLengthExceededException',
  ConcurrentModification: 'ConcurrentModificationException',
  IllegalState: 'InvalidStateException',
} as const;

export const validation = (message: string): ServiceError =>
  new ServiceError(EventsErrorCode.Validation, message);

export const notFound = (message: string): ServiceError =>
  new ServiceError(EventsErrorCode.NotFound, message);

export const alreadyExists = (message: string): ServiceError =>
  new ServiceError(EventsErrorCode.AlreadyExists, message);

/** EventBridge's wording when a quota (targets per rule, buses per account ...) is hit. */
export const limitExceeded = (
  message = 'The requested resource exceeds the maximum number allowed.',
): ServiceError => new ServiceError(EventsErrorCode.LimitExceeded, message);

/** Coral's constraint message, as EventBridge sends it for a member that fails its pattern or length. */
export function constraintFailed(member: string, value: unknown, constraint: string): ServiceError {
  return validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
