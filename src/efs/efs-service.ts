/** Amazon EFS as the gateway serves it: REST-JSON routes from the SDK's model, signing name `elasticfilesystem`. */
import * as sdk from '@aws-sdk/client-efs';
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames, readSdkModel } from '../aws/sdk-model.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import type { FileSystemBackend } from './model/file-system-backend.ts';
import { handlers } from './handlers.ts';

/** What EFS handlers work with: the region's store view, time, randomness and where data lives. */
export interface EfsContext {
  partition: Partition;
  store: Store;
  clock: Clock;
  rng: Rng;
  backend: FileSystemBackend;
}

/**
 * Throttle buckets (burst / per second). EFS documents no per-operation rates besides its
 * account-wide API limits; these are Longshore's, generous for local use.
 */
export const EfsThrottleCategories = {
  read: { burst: 100, rate: 100 },
  write: { burst: 50, rate: 25 },
} as const satisfies Record<string, BucketSpec>;

const model = readSdkModel(sdk);

/** Every operation of the EFS model in the SDK (implemented or not). */
export function efsModelOperations(): string[] {
  return modelOperationNames(model);
}

export function efsService(contextFor: ContextFor<EfsContext>): AwsService {
  return {
    name: 'efs',
    signingName: 'elasticfilesystem',
    protocols: [ProtocolName.RestJson1],
    operations: operationsOf(contextFor, handlers, EfsThrottleCategories, model),
    modelOperations: efsModelOperations(),
    model,
    validationError: 'BadRequest',
    serverError: 'InternalServerError',
  };
}
