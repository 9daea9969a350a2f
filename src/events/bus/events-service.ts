/** Amazon EventBridge as the gateway serves it: AWS JSON 1.1, target prefix `AWSEvents`, signing name `events`. */
import { operationsOf } from '../../aws/handler-table.ts';
import { ProtocolName } from '../../aws/protocols/protocol.ts';
import { modelOperationNames } from '../../aws/sdk-model.ts';
import { loadSdkModelCached } from '../../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../../aws/service.ts';
import type { BucketSpec } from '../../aws/throttle.ts';
import type { EventsContext } from '../model/records.ts';
import { handlers } from './handlers.ts';

export const EVENTS_SDK_PACKAGE = '@aws-sdk/client-eventbridge';

/**
 * Throttle buckets (burst / per second). EventBridge's quotas page gives PutEvents 10,000/s in the
 * large Regions and most control operations 50/s (ListRules 50/s, PutTargets 50/s ...); reads get
 * the same as writes here. Off in `longshore up`; `--throttle` scales them.
 */
export const EventsThrottleCategories = {
  putEvents: { burst: 10_000, rate: 10_000 },
  read: { burst: 100, rate: 50 },
  write: { burst: 100, rate: 50 },
} as const satisfies Record<string, BucketSpec>;

export async function eventsService(contextFor: ContextFor<EventsContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: EVENTS_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'events',
    signingName: 'events',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: 'AWSEvents',
    operations: operationsOf(contextFor, handlers, EventsThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationException',
    serverError: 'InternalException',
  };
}
