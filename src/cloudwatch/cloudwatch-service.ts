/** Amazon CloudWatch as the gateway serves it: RPC v2 CBOR, AWS JSON 1.0 and Query; signing name `monitoring`. */
import * as sdk from '@aws-sdk/client-cloudwatch';
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames, readSdkModel } from '../aws/sdk-model.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { handlers } from './handlers.ts';

/** What CloudWatch handlers work with. */
export interface CloudWatchContext {
  /** The region's store view: metric series and blocks (`model/`). */
  store: Store;
  clock: Clock;
  /** Ids of alarm history items and of the events alarms publish (`longshore up` always gives one). */
  rng?: Rng;
  partition: Partition;
}

/** CloudWatch's Smithy service name: the target prefix of AWS JSON and the path of RPC v2 CBOR. */
export const CLOUDWATCH_SERVICE_NAME = 'GraniteServiceVersion20100801';

/**
 * Throttle buckets (burst / per second): Longshore's sizes, of the order of CloudWatch's
 * per-operation TPS quotas for describe and list calls, scaled by the gateway's multiplier.
 */
export const CloudWatchThrottleCategories = {
  alarmRead: { burst: 20, rate: 9 },
  alarmWrite: { burst: 20, rate: 10 },
  dashboardRead: { burst: 20, rate: 10 },
  // PutMetricData's quota is high (500+ TPS); reads of metric data are a few dozen a second.
  metricWrite: { burst: 500, rate: 150 },
  metricRead: { burst: 50, rate: 25 },
  metricList: { burst: 25, rate: 25 },
} as const satisfies Record<string, BucketSpec>;

const model = readSdkModel(sdk);

/** Every operation of the CloudWatch model in the SDK (implemented or not). */
export function cloudWatchModelOperations(): string[] {
  return modelOperationNames(model);
}

export function cloudWatchService(contextFor: ContextFor<CloudWatchContext>): AwsService {
  return {
    name: 'cloudwatch',
    signingName: 'monitoring',
    protocols: [ProtocolName.RpcV2Cbor, ProtocolName.AwsJson1_0, ProtocolName.AwsQuery],
    targetPrefix: CLOUDWATCH_SERVICE_NAME,
    smithyService: CLOUDWATCH_SERVICE_NAME,
    query: { version: '2010-08-01', xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
    awsQueryCompatible: true,
    operations: operationsOf(contextFor, handlers, CloudWatchThrottleCategories, model),
    modelOperations: cloudWatchModelOperations(),
    model,
    // MissingRequiredParameterException, whose Query code is MissingParameter.
    validationError: 'MissingRequiredParameterException',
    serverError: 'InternalServiceFault',
  };
}
