/** CloudWatch Logs' API as the gateway serves it: AWS JSON 1.1, target prefix `Logs_20140328`, signing name `logs`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { LogsContext } from './model/records.ts';

export type { LogsContext } from './model/records.ts';

/** The SDK package the model comes from; only its types are imported elsewhere. */
export const LOGS_SDK_PACKAGE = '@aws-sdk/client-cloudwatch-logs';

export const LOGS_TARGET_PREFIX = 'Logs_20140328';

/**
 * Throttle buckets (burst / per second) after CloudWatch Logs' default quotas per account and
 * region: PutLogEvents 5,000/s, GetLogEvents 25/s, FilterLogEvents 5/s, the Describe and List
 * calls 10-25/s, the control operations about 5/s. Off in `longshore up`; `--throttle` scales them.
 */
export const LogsThrottleCategories = {
  put: { burst: 5000, rate: 5000 },
  get: { burst: 50, rate: 25 },
  filter: { burst: 10, rate: 5 },
  describe: { burst: 50, rate: 25 },
  mutate: { burst: 10, rate: 5 },
} as const satisfies Record<string, BucketSpec>;

/** The Logs service; its model comes from the SDK model cache (the SDK is never imported here). */
export async function logsService(contextFor: ContextFor<LogsContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: LOGS_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'logs',
    signingName: 'logs',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: LOGS_TARGET_PREFIX,
    operations: operationsOf(contextFor, handlers, LogsThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    // A missing required member: InvalidParameterException (the gateway's default), as CloudWatch Logs answers.
    serverError: 'ServiceUnavailableException',
  };
}
