/** Longshore's own JSON API on the gateway (target prefix `Longshore_20261122`), signed like ECS calls. */
import type { JsonOperation, JsonService } from '../aws/service.ts';
import type { EcsContext } from '../ecs/context.ts';
import { mapSchedulerErrors } from '../ecs/scheduler-errors.ts';
import { explainPlacement } from './explain-placement.ts';

export const LONGSHORE_TARGET_PREFIX = 'Longshore_20261122';

export function longshoreService(ctx: EcsContext): JsonService {
  const explain: JsonOperation = {
    name: 'ExplainPlacement',
    throttle: { category: 'longshoreRead', bucket: { burst: 100, rate: 20 } },
    handle: (input, request) => mapSchedulerErrors(explainPlacement(ctx, input, request)),
  };
  return {
    targetPrefix: LONGSHORE_TARGET_PREFIX,
    signingName: 'ecs',
    operations: new Map([[explain.name, explain]]),
    modelOperations: [explain.name],
  };
}
