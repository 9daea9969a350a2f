/** The ECS API as the gateway serves it (AWS JSON 1.1): every implemented operation, its input schema and bucket. */
import * as sdk from '@aws-sdk/client-ecs';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { readSdkModel } from '../aws/sdk-model.ts';
import type { AwsService, ContextFor, InputSchema, Operation, RequestContext } from '../aws/service.ts';
import { EcsThrottleCategories, type EcsThrottleCategory } from './ecs-throttle.ts';
import type { EcsContext } from './model/context.ts';
import { handlers } from './handlers.ts';
import { mapSchedulerErrors } from './model/scheduler-errors.ts';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

/** Every operation in the ECS model shipped with the SDK, from its exported operation schemas. */
export function ecsModelOperations(): string[] {
  return (Object.values(sdk) as unknown[])
    .filter((v): v is [9, string, string, ...unknown[]] => Array.isArray(v) && v[0] === 9)
    .map((v) => v[2])
    .sort();
}

/** The handler for one operation: its category for throttling and the function that serves it. */
export interface EcsHandler {
  category: EcsThrottleCategory;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own request type.
  handle(ctx: EcsContext, input: any, request: RequestContext): Promise<unknown>;
}

export function ecsService(contextFor: ContextFor<EcsContext>): AwsService {
  const operations = new Map<string, Operation>();
  const exported = sdk as unknown as Record<string, InputSchema>;
  for (const [name, handler] of Object.entries(handlers)) {
    const input = exported[`${name}Request$`];
    if (!input) throw new Error(`no SDK schema for ${name}Request`);
    operations.set(name, {
      name,
      input,
      throttle: { category: handler.category, bucket: EcsThrottleCategories[handler.category] },
      handle: (body, request) => mapSchedulerErrors(handler.handle(contextFor(request), body, request)),
    });
  }
  return {
    name: 'ecs',
    signingName: 'ecs',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: ECS_TARGET_PREFIX,
    operations,
    modelOperations: ecsModelOperations(),
    model: readSdkModel(sdk),
    serverError: 'ServerException',
  };
}
