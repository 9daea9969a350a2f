/** CloudWatch Logs' error codes and the messages it gives them. */
import { ServiceError } from '../../core/errors.ts';

export const LogsErrorCode = {
  InvalidParameter: 'InvalidParameterException',
  ResourceNotFound: 'ResourceNotFoundException',
  ResourceAlreadyExists: 'ResourceAlreadyExistsException',
  LimitExceeded: 'LimitExceededException',
  OperationAborted: 'OperationAbortedException',
  TooManyTags: 'TooManyTagsException',
  Validation: 'ValidationException',
} as const;

export const invalidParameter = (message: string): ServiceError =>
  new ServiceError(LogsErrorCode.InvalidParameter, message);

/** The Coral-style validation message AWS JSON services give a member that breaks its model constraint. */
export function validationFailed(member: string, value: unknown, constraint: string): ServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export const groupNotFound = (): ServiceError =>
  new ServiceError(LogsErrorCode.ResourceNotFound, 'The specified log group does not exist.');

export const streamNotFound = (): ServiceError =>
  new ServiceError(LogsErrorCode.ResourceNotFound, 'The specified log stream does not exist.');
