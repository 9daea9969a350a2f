/** The ECS API as a JsonService: every implemented operation with its input schema and throttle bucket. */
import * as sdk from '@aws-sdk/client-ecs';
import type { InputSchema, JsonOperation, JsonService, RequestContext } from '../aws/service.ts';
import { EcsThrottleCategories, type ThrottleCategory } from '../aws/throttle.ts';
import type { EcsContext } from './context.ts';
import { handlers } from './handlers.ts';
import { mapSchedulerErrors } from './scheduler-errors.ts';

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
  category: ThrottleCategory;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own request type.
  handle(ctx: EcsContext, input: any, request: RequestContext): Promise<unknown>;
}

export function ecsService(ctx: EcsContext): JsonService {
  const operations = new Map<string, JsonOperation>();
  const exported = sdk as unknown as Record<string, InputSchema>;
  for (const [name, handler] of Object.entries(handlers)) {
    const input = exported[`${name}Request$`];
    if (!input) throw new Error(`no SDK schema for ${name}Request`);
    operations.set(name, {
      name,
      input,
      throttle: { category: handler.category, bucket: EcsThrottleCategories[handler.category] },
      handle: (body, request) => mapSchedulerErrors(handler.handle(ctx, body, request)),
    });
  }
  return {
    targetPrefix: ECS_TARGET_PREFIX,
    signingName: 'ecs',
    operations,
    modelOperations: ecsModelOperations(),
  };
}
