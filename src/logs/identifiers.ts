/** The log group a request names: `logGroupName`, or `logGroupIdentifier` (a name or an ARN), never both. */
import type { Partition } from '../core/arn.ts';
import { invalidParameter } from './model/errors.ts';
import { checkGroupName } from './model/names.ts';

const GROUP_ARN = /^arn:aws[\w-]*:logs:([^:]*):(\d{12}):log-group:([^:]+)(:\*)?$/;

export function groupNameOf(
  p: Partition,
  input: { logGroupName?: string; logGroupIdentifier?: string },
): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (input.logGroupName !== undefined) {
    checkGroupName(input.logGroupName);
    return input.logGroupName;
  }
  const id = input.logGroupIdentifier;
  if (id === undefined)
    throw invalidParameter('Either the log group name or the log group ARN must be specified.');
  if (!id.startsWith('arn:')) {
    checkGroupName(id, 'logGroupIdentifier');
    return id;
  }
  const m = GROUP_ARN.exec(id);
  if (!m || m[1] !== p.region || m[2] !== p.accountId) {
    throw invalidParameter(`Invalid log group identifier ${id}`);
  }
  return m[3]!;
}

/** The group name in a tagging ARN (`arn:aws:logs:<region>:<account>:log-group:<name>`), or undefined. */
export function groupNameOfArn(p: Partition, arn: string): string | undefined {
  const m = GROUP_ARN.exec(arn);
  if (!m || m[1] !== p.region || m[2] !== p.accountId) return undefined;
  return m[3];
}
