/** EventBridge Scheduler as the gateway serves it: REST-JSON routes from the model, signing name `scheduler`. */
import * as sdk from '@aws-sdk/client-scheduler';
import { operationsOf } from '../../aws/handler-table.ts';
import { ProtocolName } from '../../aws/protocols/protocol.ts';
import { modelOperationNames, readSdkModel } from '../../aws/sdk-model.ts';
import type { AwsService, ContextFor } from '../../aws/service.ts';
import type { BucketSpec } from '../../aws/throttle.ts';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import { handlers } from './handlers.ts';

/** What Scheduler handlers work with: the region's store view, its clock and randomness. */
export interface SchedulerContext {
  partition: Partition;
  store: Store;
  clock: Clock;
  rng: Rng;
}

/**
 * Throttle buckets (burst / per second). Scheduler's quotas page gives 10 per second for
 * CreateScheduleGroup and DeleteScheduleGroup and 1,000-5,000 for schedule operations in the
 * main Regions (1,000 here); it gives none for group reads and tags, so those are Longshore's.
 */
export const SchedulerThrottleCategories = {
  groupRead: { burst: 100, rate: 50 },
  groupWrite: { burst: 10, rate: 10 },
  scheduleRead: { burst: 1000, rate: 1000 },
  scheduleWrite: { burst: 1000, rate: 1000 },
} as const satisfies Record<string, BucketSpec>;

const model = readSdkModel(sdk);

/** Every operation of the Scheduler model in the SDK (implemented or not). */
export function schedulerModelOperations(): string[] {
  return modelOperationNames(model);
}

export function schedulerService(contextFor: ContextFor<SchedulerContext>): AwsService {
  return {
    name: 'scheduler',
    signingName: 'scheduler',
    protocols: [ProtocolName.RestJson1],
    operations: operationsOf(contextFor, handlers, SchedulerThrottleCategories, model),
    modelOperations: schedulerModelOperations(),
    model,
    validationError: 'ValidationException',
    serverError: 'InternalServerException',
  };
}
