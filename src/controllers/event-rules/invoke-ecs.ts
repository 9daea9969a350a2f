/**
 * The ECS RunTask target: the target's EcsParameters become a RunTask request on the cluster its
 * ARN names, started by `events-rule/<rule name>` (ECS's startedBy holds at most 128 characters).
 * The target's input, when it is a JSON object, is the task's overrides (`containerOverrides` ...),
 * as EventBridge passes it. A client error of RunTask (no such cluster or task definition, bad
 * parameters) fails the delivery for good; a task that could not be placed (`failures`) or a
 * server error is retried within the retry policy.
 */
import type { RunTaskRequest } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { DeliveryRecord } from '../../events/model/deliveries.ts';
import { type EventTargetPorts, failed, type InvokeOutcome, ok } from './target-ports.ts';

export async function invokeEcs(
  ports: EventTargetPorts,
  region: string,
  delivery: DeliveryRecord,
  input: string,
  hasCustomInput: boolean,
): Promise<InvokeOutcome> {
  const p = delivery.target.EcsParameters;
  if (!p?.TaskDefinitionArn) return failed('EcsParameters.TaskDefinitionArn is missing', false);
  const request: Wire<RunTaskRequest> = {
    cluster: delivery.target.Arn,
    taskDefinition: p.TaskDefinitionArn,
    count: p.TaskCount ?? 1,
    startedBy: `events-rule/${delivery.ruleName}`.slice(0, 128),
    ...(p.LaunchType ? { launchType: p.LaunchType } : {}),
    ...(p.CapacityProviderStrategy?.length
      ? {
          capacityProviderStrategy: p.CapacityProviderStrategy.map((s) => ({
            capacityProvider: s.capacityProvider,
            weight: s.weight,
            base: s.base,
          })),
        }
      : {}),
    ...(p.NetworkConfiguration?.awsvpcConfiguration
      ? {
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: p.NetworkConfiguration.awsvpcConfiguration.Subnets,
              securityGroups: p.NetworkConfiguration.awsvpcConfiguration.SecurityGroups,
              assignPublicIp: p.NetworkConfiguration.awsvpcConfiguration.AssignPublicIp,
            },
          },
        }
      : {}),
    ...(p.PlacementConstraints?.length
      ? {
          placementConstraints: p.PlacementConstraints.map((c) => ({
            type: c.type,
            expression: c.expression,
          })),
        }
      : {}),
    ...(p.PlacementStrategy?.length
      ? { placementStrategy: p.PlacementStrategy.map((s) => ({ type: s.type, field: s.field })) }
      : {}),
    ...(p.PlatformVersion ? { platformVersion: p.PlatformVersion } : {}),
    ...(p.Group ? { group: p.Group } : {}),
    ...(p.PropagateTags ? { propagateTags: p.PropagateTags } : {}),
    ...(p.Tags?.length ? { tags: p.Tags.map((t) => ({ key: t.Key, value: t.Value })) } : {}),
    ...(p.EnableExecuteCommand !== undefined ? { enableExecuteCommand: p.EnableExecuteCommand } : {}),
    ...(p.EnableECSManagedTags !== undefined ? { enableECSManagedTags: p.EnableECSManagedTags } : {}),
    ...(p.ReferenceId ? { referenceId: p.ReferenceId } : {}),
  };
  if (hasCustomInput) {
    let overrides: unknown;
    try {
      overrides = JSON.parse(input);
    } catch {
      return failed('the target input is not JSON task overrides', false);
    }
    if (typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides)) {
      request.overrides = overrides as Wire<RunTaskRequest>['overrides'];
    }
  }
  try {
    const result = await ports.runTask(region, request);
    if ((result.tasks ?? []).length === 0 && (result.failures ?? []).length > 0) {
      const f = result.failures![0]!;
      return failed(`RunTask failed: ${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`, true);
    }
    return ok;
  } catch (error) {
    if (error instanceof ServiceError) {
      const retriable = error.fault === 'server' || error.code === 'ThrottlingException';
      return failed(`RunTask: ${error.code}: ${error.message}`, retriable);
    }
    throw error;
  }
}
