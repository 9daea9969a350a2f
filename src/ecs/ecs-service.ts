/** The ECS API as the gateway serves it (AWS JSON 1.1): every implemented operation, its input schema and bucket. */
import * as sdk from '@aws-sdk/client-ecs';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { type Handler, operationsOf } from '../aws/handler-table.ts';
import { modelOperationNames, readSdkModel } from '../aws/sdk-model.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import { EcsThrottleCategories, type EcsThrottleCategory } from './ecs-throttle.ts';
import type { EcsContext } from './model/context.ts';
import { handlers } from './handlers.ts';
import { mapSchedulerErrors } from './model/scheduler-errors.ts';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

const model = readSdkModel(sdk);

/** Every operation in the ECS model shipped with the SDK (implemented or not). */
export function ecsModelOperations(): string[] {
  return modelOperationNames(model);
}

/** The handler for one operation: its category for throttling and the function that serves it. */
export type EcsHandler = Handler<EcsContext> & { category: EcsThrottleCategory };

export function ecsService(contextFor: ContextFor<EcsContext>): AwsService {
  const operations = operationsOf(contextFor, handlers, EcsThrottleCategories, model);
  // The scheduler's input errors are ECS's InvalidParameterException.
  for (const [name, op] of operations)
    operations.set(name, { ...op, handle: (body, request) => mapSchedulerErrors(op.handle(body, request)) });
  return {
    name: 'ecs',
    signingName: 'ecs',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: ECS_TARGET_PREFIX,
    operations,
    modelOperations: ecsModelOperations(),
    model,
    serverError: 'ServerException',
  };
}
