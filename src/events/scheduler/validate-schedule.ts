/**
 * CreateSchedule's and UpdateSchedule's input checked as Scheduler checks it: the model's lengths,
 * patterns and ranges (Coral-style messages), then the rules its documentation states (the
 * expression, the time zone, the flexible window, the dates, the target's parameters).
 */
import type { CreateScheduleInput, Target } from '@aws-sdk/client-scheduler';
import type { Wire } from '../../core/wire.ts';
import {
  isTimeZone,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../model/schedule-expression.ts';
import { NAME_PATTERN, type ScheduleRecord, validation } from '../model/schedules.ts';
import { classifyTarget } from '../model/schedules-targets.ts';

type Input = Wire<CreateScheduleInput>;

/** `1 validation error detected: Value 'x' at 'path' failed to satisfy constraint: ...`. */
export function constraint(path: string, value: unknown, rule: string) {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return validation(
    `1 validation error detected: Value '${shown}' at '${path}' failed to satisfy constraint: ${rule}`,
  );
}

export function checkName(path: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value.length < 1 || value.length > 64) {
    throw constraint(path, value, 'Member must have length less than or equal to 64');
  }
  if (!NAME_PATTERN.test(value)) {
    throw constraint(path, value, 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$');
  }
}

export function checkClientToken(value: string | undefined): void {
  if (value === undefined) return;
  if (!/^[a-zA-Z0-9\-_]{1,64}$/.test(value)) {
    throw constraint(
      'clientToken',
      value,
      'Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_]+$',
    );
  }
}

function checkLength(path: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value.length < min)
    throw constraint(path, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw constraint(path, value, `Member must have length less than or equal to ${max}`);
}

function checkRange(path: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value < min) throw constraint(path, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(path, value, `Member must have value less than or equal to ${max}`);
}

function checkEnum(path: string, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value)) return;
  throw constraint(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
const KMS_ARN = /^arn:aws(-[a-z]+)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[0-9a-zA-Z\-_]*$/;

/**
 * The record fields of a valid CreateSchedule/UpdateSchedule input (dates in epoch ms); `now`
 * is the request's time (an EndDate must be in the future).
 */
export function validateSchedule(
  input: Input,
  now: number,
): Omit<ScheduleRecord, 'name' | 'groupName' | 'creationDate' | 'lastModificationDate' | 'activeSince'> {
  checkName('name', input.Name);
  checkName('groupName', input.GroupName);
  checkClientToken(input.ClientToken);
  checkLength('description', input.Description, 0, 512);
  checkLength('scheduleExpression', input.ScheduleExpression, 1, 256);
  checkLength('scheduleExpressionTimezone', input.ScheduleExpressionTimezone, 1, 50);
  checkEnum('state', input.State, ['ENABLED', 'DISABLED']);
  checkEnum('actionAfterCompletion', input.ActionAfterCompletion, ['NONE', 'DELETE']);
  if (input.KmsKeyArn !== undefined && !KMS_ARN.test(input.KmsKeyArn)) {
    throw constraint(
      'kmsKeyArn',
      input.KmsKeyArn,
      'Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)?:kms:[a-z0-9\\-]+:\\d{12}:(key|alias)\\/[0-9a-zA-Z-_]*$',
    );
  }
  const window = input.FlexibleTimeWindow!;
  checkEnum('flexibleTimeWindow.mode', window.Mode, ['OFF', 'FLEXIBLE']);
  checkRange('flexibleTimeWindow.maximumWindowInMinutes', window.MaximumWindowInMinutes, 1, 1440);
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
    throw validation('MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined) {
    throw validation('MaximumWindowInMinutes must not be set when FlexibleTimeWindow Mode is OFF.');
  }
  try {
    parseScheduleExpression(input.ScheduleExpression!);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw validation(error.message);
    throw error;
  }
  const zone = input.ScheduleExpressionTimezone;
  if (zone !== undefined && !isTimeZone(zone)) throw validation(`Invalid timezone ${zone}.`);
  const startDate = input.StartDate === undefined ? undefined : Math.round(input.StartDate * 1000);
  const endDate = input.EndDate === undefined ? undefined : Math.round(input.EndDate * 1000);
  if (endDate !== undefined && endDate <= now) throw validation('The EndDate must be in the future.');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    throw validation('The StartDate must come before the EndDate.');
  }
  const target = validateTarget(input.Target!);
  return {
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    scheduleExpression: input.ScheduleExpression!,
    ...(zone !== undefined ? { scheduleExpressionTimezone: zone } : {}),
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
    state: (input.State ?? 'ENABLED') as ScheduleRecord['state'],
    flexibleTimeWindow: window,
    target,
    actionAfterCompletion: (input.ActionAfterCompletion ?? 'NONE') as ScheduleRecord['actionAfterCompletion'],
    ...(input.KmsKeyArn !== undefined ? { kmsKeyArn: input.KmsKeyArn } : {}),
  };
}

/** The target, checked; the stored form adds the defaults GetSchedule shows (RetryPolicy). */
function validateTarget(target: Wire<Target>): Wire<Target> {
  checkLength('target.arn', target.Arn, 1, 1600);
  checkLength('target.roleArn', target.RoleArn, 1, 1600);
  if (!ROLE_ARN.test(target.RoleArn!)) {
    throw constraint(
      'target.roleArn',
      target.RoleArn,
      'Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$',
    );
  }
  checkLength('target.input', target.Input, 1, 8192);
  const retry = target.RetryPolicy;
  checkRange('target.retryPolicy.maximumEventAgeInSeconds', retry?.MaximumEventAgeInSeconds, 60, 86400);
  checkRange('target.retryPolicy.maximumRetryAttempts', retry?.MaximumRetryAttempts, 0, 185);
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq !== undefined && !SQS_ARN.test(dlq)) {
    throw constraint(
      'target.deadLetterConfig.arn',
      dlq,
      'Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)?:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+$',
    );
  }
  const kind = classifyTarget(target.Arn!);
  if (!kind) throw validation(`Invalid target ARN ${target.Arn}.`);
  const ecs = target.EcsParameters;
  if (ecs) {
    checkRange('target.ecsParameters.taskCount', ecs.TaskCount, 1, 10);
    checkLength('target.ecsParameters.taskDefinitionArn', ecs.TaskDefinitionArn, 1, 1600);
    checkLength('target.ecsParameters.group', ecs.Group, 1, 255);
    checkEnum('target.ecsParameters.launchType', ecs.LaunchType, ['EC2', 'FARGATE', 'EXTERNAL']);
    if (ecs.LaunchType && ecs.CapacityProviderStrategy?.length) {
      throw validation('LaunchType and CapacityProviderStrategy cannot both be specified.');
    }
  }
  if (kind.type === 'ecs' && !ecs)
    throw validation('EcsParameters must be specified for an Amazon ECS target.');
  if (kind.type !== 'ecs' && ecs)
    throw validation('EcsParameters can only be specified for an Amazon ECS target.');
  const eb = target.EventBridgeParameters;
  if (eb) {
    checkLength('target.eventBridgeParameters.detailType', eb.DetailType, 1, 128);
    checkLength('target.eventBridgeParameters.source', eb.Source, 1, 256);
    if (eb.Source!.startsWith('aws.')) {
      throw constraint('target.eventBridgeParameters.source', eb.Source, 'Member must not start with aws.');
    }
  }
  if (kind.type === 'event-bus' && !eb) {
    throw validation('EventBridgeParameters must be specified for an EventBridge event bus target.');
  }
  if (kind.type !== 'event-bus' && eb) {
    throw validation('EventBridgeParameters can only be specified for an EventBridge event bus target.');
  }
  return {
    ...target,
    RetryPolicy: {
      MaximumEventAgeInSeconds: retry?.MaximumEventAgeInSeconds ?? 86400,
      MaximumRetryAttempts: retry?.MaximumRetryAttempts ?? 185,
    },
  };
}
