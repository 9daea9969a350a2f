/** Container health checks: the command form, the documented ranges, and the defaults ECS stores. */
import type { HealthCheck } from '@aws-sdk/client-ecs';
import { checkRange, containerOwner, reject } from './fail.ts';
import { ordered } from './shape.ts';
import { HEALTH_CHECK } from './limits.ts';

const ORDER: (keyof HealthCheck)[] = ['command', 'interval', 'timeout', 'retries', 'startPeriod'];
/** HealthCheck.command: "must start with CMD to run the command arguments directly, or CMD-SHELL". */
const FORMS: readonly string[] = ['CMD', 'CMD-SHELL'];

/**
 * HealthCheck doc: interval 5-300 s (default 30), timeout 2-60 s (default 5), retries 1-10 (default
 * 3), startPeriod 0-300 s. DescribeTaskDefinition returns interval, timeout and retries even when
 * they were omitted (eagletmt/hako#56 notes "DescribeTaskDefinition returns interval=30";
 * terraform-provider-aws fills exactly these three when comparing with the API). startPeriod "is
 * off" by default and is not filled, so it appears only when given.
 */
export function normalizeHealthCheck(
  check: HealthCheck | undefined,
  container: string,
): HealthCheck | undefined {
  if (check === undefined) return undefined;
  const owner = containerOwner(container);
  const command = check.command ?? [];
  if (command.length < 2 || !FORMS.includes(command[0])) {
    throw reject(
      `Invalid 'healthCheck.command' setting for ${owner}. The command must start with CMD or CMD-SHELL followed by the command to run.`,
    );
  }
  const { interval, timeout, retries, startPeriod } = HEALTH_CHECK;
  checkRange(check.interval, interval.min, interval.max, 'healthCheck.interval', owner);
  checkRange(check.timeout, timeout.min, timeout.max, 'healthCheck.timeout', owner);
  checkRange(check.retries, retries.min, retries.max, 'healthCheck.retries', owner);
  checkRange(check.startPeriod, startPeriod.min, startPeriod.max, 'healthCheck.startPeriod', owner);
  return ordered(
    {
      ...check,
      command: [...command],
      interval: check.interval ?? interval.default,
      timeout: check.timeout ?? timeout.default,
      retries: check.retries ?? retries.default,
    },
    ORDER,
  );
}
