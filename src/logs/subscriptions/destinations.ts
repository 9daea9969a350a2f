/**
 * Subscription filter destinations. CloudWatch sends a test message to the destination when the
 * filter is put and refuses the filter when that fails; Longshore has no Kinesis, Firehose or
 * Lambda (nor cross-account Logs destinations) yet, so every destination is one that does not
 * exist, answered with the error CloudWatch gives for that kind of destination.
 */
import { ServiceError } from '../../core/errors.ts';
import { invalidParameter, LogsErrorCode } from '../model/errors.ts';

const ARN = /^arn:aws[\w-]*:([a-z0-9-]+):[^:]*:\d{12}:.+$/;

/** Throws the error CloudWatch answers for a destination that cannot be delivered to. */
export function checkDestination(destinationArn: string): never {
  const service = ARN.exec(destinationArn)?.[1];
  switch (service) {
    case 'kinesis':
      throw invalidParameter(
        'Could not deliver test message to specified Kinesis stream. Check if the given kinesis stream is in ACTIVE state.',
      );
    case 'firehose':
      throw invalidParameter(
        'Could not deliver test message to specified Firehose stream. Check if the given Firehose stream is in ACTIVE state.',
      );
    case 'lambda':
      throw invalidParameter(
        'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.',
      );
    case 'logs':
      throw new ServiceError(LogsErrorCode.ResourceNotFound, 'The specified destination does not exist.');
    default:
      throw invalidParameter(`Invalid destination ARN: ${destinationArn}`);
  }
}
