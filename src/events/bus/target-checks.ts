/**
 * What PutTargets checks of each target before storing it; a target that fails is reported in
 * FailedEntries (ErrorCode ValidationException) and the others are stored, as EventBridge does.
 * Any ARN is accepted (EventBridge accepts Lambda, SQS, SNS ... too): targets Longshore cannot
 * invoke fail at delivery time, visibly (docs/eventbridge.md).
 */
import type { Wire } from '../../core/wire.ts';
import type { Target } from '@aws-sdk/client-eventbridge';
import { parseJsonPath } from '../model/json-path.ts';
import { PREDEFINED_VARIABLES } from '../model/target-input.ts';

const ID = /^[.\-_A-Za-z0-9]+$/;
const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL'];

/** The reason `target` is refused, or undefined when it is fine. */
export function targetProblem(target: Wire<Target>): string | undefined {
  const id = target.Id ?? '';
  if (id.length < 1 || id.length > 64 || !ID.test(id))
    return `Target Id ${id} is not valid: 1-64 of [.-_A-Za-z0-9].`;
  const arn = target.Arn ?? '';
  if (!arn.startsWith('arn:'))
    return `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`;
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter(
    (x) => x !== undefined,
  ).length;
  if (inputs > 1) return 'Only one of Input, InputPath, or InputTransformer must be provided.';
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      return 'Input is not valid JSON text.';
    }
  }
  if (target.InputPath !== undefined && !parseJsonPath(target.InputPath)) {
    return `InputPath ${target.InputPath} is not a valid JSON path.`;
  }
  if (target.InputTransformer) {
    const problem = transformerProblem(target.InputTransformer);
    if (problem) return problem;
  }
  const retry = target.RetryPolicy;
  if (
    retry?.MaximumRetryAttempts !== undefined &&
    (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)
  ) {
    return 'RetryPolicy.MaximumRetryAttempts must be between 0 and 185.';
  }
  if (
    retry?.MaximumEventAgeInSeconds !== undefined &&
    (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86_400)
  ) {
    return 'RetryPolicy.MaximumEventAgeInSeconds must be between 60 and 86400.';
  }
  if (target.DeadLetterConfig?.Arn !== undefined && !target.DeadLetterConfig.Arn.startsWith('arn:aws:sqs:')) {
    return 'DeadLetterConfig.Arn must be the ARN of an SQS queue.';
  }
  const service = arn.split(':')[2];
  if (service === 'ecs') return ecsProblem(target);
  if (arn.includes(':api-destination/') && !target.RoleArn) return `RoleArn is required for target ${arn}.`;
  if (target.EcsParameters) return 'EcsParameters are only valid for an ECS cluster target.';
  return undefined;
}

function ecsProblem(target: Wire<Target>): string | undefined {
  if (!target.RoleArn) return `RoleArn is required for target ${target.Arn}.`;
  const p = target.EcsParameters;
  if (!p) return `EcsParameters are required for target ${target.Arn}.`;
  if (!p.TaskDefinitionArn) return 'EcsParameters.TaskDefinitionArn is required.';
  if (p.TaskCount !== undefined && (p.TaskCount < 1 || p.TaskCount > 10))
    return 'EcsParameters.TaskCount must be between 1 and 10.';
  if (p.LaunchType !== undefined && !LAUNCH_TYPES.includes(p.LaunchType))
    return `EcsParameters.LaunchType ${p.LaunchType} is not valid.`;
  if (p.LaunchType !== undefined && p.CapacityProviderStrategy?.length)
    return 'EcsParameters.LaunchType and CapacityProviderStrategy cannot both be given.';
  return undefined;
}

function transformerProblem(t: NonNullable<Wire<Target>['InputTransformer']>): string | undefined {
  const template = t.InputTemplate ?? '';
  if (template.length < 1 || template.length > 8192)
    return 'InputTransformer.InputTemplate must be 1-8192 characters.';
  const paths = Object.entries(t.InputPathsMap ?? {});
  if (paths.length > 100) return 'InputTransformer.InputPathsMap may hold at most 100 entries.';
  for (const [key, path] of paths) {
    if ((PREDEFINED_VARIABLES as readonly string[]).includes(key) || key.toUpperCase().startsWith('AWS.')) {
      return `InputTransformer's InputPathsMap contains a reserved key: ${key}.`;
    }
    if (!/^[A-Za-z0-9_-]+$/.test(key)) return `InputTransformer's InputPathsMap key ${key} is not valid.`;
    if (!parseJsonPath(path))
      return `InputTransformer's InputPathsMap value ${path} is not a valid JSON path.`;
  }
  const trimmed = template.trim();
  if (trimmed.startsWith('{')) {
    // A placeholder may not be a key: `{<name>: ...}` or `, <name>:` never parses as JSON.
    if (/[{,]\s*<[^>]+>\s*:/.test(trimmed)) return 'InputTemplate placeholders cannot be used as JSON keys.';
    // With every placeholder replaced by a value, the template must be JSON.
    const probe = trimmed.replace(/"(?:[^"\\]|\\.)*"|<[^<>\s]+>/g, (m) => (m.startsWith('"') ? m : 'null'));
    try {
      JSON.parse(probe);
    } catch {
      return 'InputTemplate is a JSON object that is not valid JSON once its placeholders are filled.';
    }
  }
  return undefined;
}
