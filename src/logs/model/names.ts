/** The model's constraints on names, checked with CloudWatch Logs' validation messages. */
import { invalidParameter, validationFailed } from './errors.ts';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;

function checkLength(member: string, value: string, min: number, max: number): void {
  if (value.length < min) {
    throw validationFailed(member, value, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw validationFailed(member, value, `Member must have length less than or equal to ${max}`);
  }
}

export function checkGroupName(name: string, member = 'logGroupName'): void {
  checkLength(member, name, 1, 512);
  if (!GROUP_NAME.test(name)) {
    throw validationFailed(
      member,
      name,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
  }
}

/** CreateLogGroup also refuses the `aws/` prefix AWS services keep for themselves. */
export function checkNewGroupName(name: string): void {
  checkGroupName(name);
  if (name.startsWith('aws/')) {
    throw invalidParameter(
      "Log group names cannot start with 'aws/'. This prefix is reserved for AWS services.",
    );
  }
}

/** Stream names, and metric / subscription filter names (the same constraint). */
export function checkStreamName(name: string, member = 'logStreamName'): void {
  checkLength(member, name, 1, 512);
  if (!STREAM_NAME.test(name)) {
    throw validationFailed(member, name, 'Member must satisfy regular expression pattern: [^:*]*');
  }
}

/** A page size member (`limit`): the gateway has checked it is an integer; CloudWatch checks the range. */
export function checkLimit(limit: number | undefined, max: number, member = 'limit'): number | undefined {
  if (limit === undefined) return undefined;
  if (limit < 1) throw validationFailed(member, limit, 'Member must have value greater than or equal to 1');
  if (limit > max)
    throw validationFailed(member, limit, `Member must have value less than or equal to ${max}`);
  return limit;
}
