/** AWS Systems Manager's Parameter Store as the gateway serves it: AWS JSON 1.1, target prefix `AmazonSSM`, signing name `ssm`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { SsmContext } from './model/records.ts';

export const SSM_SDK_PACKAGE = '@aws-sdk/client-ssm';

/**
 * Parameter Store's rates: reads 40/s (its default throughput); writes at its higher-throughput
 * setting (10/s) with a burst of 50, so a deployment script's batch of PutParameter calls passes.
 */
export const SsmThrottleCategories = {
  get: { burst: 100, rate: 40 },
  put: { burst: 50, rate: 10 },
  describe: { burst: 20, rate: 10 },
} as const satisfies Record<string, BucketSpec>;

export async function ssmService(contextFor: ContextFor<SsmContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: SSM_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'ssm',
    signingName: 'ssm',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: 'AmazonSSM',
    operations: operationsOf(contextFor, handlers, SsmThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationException',
    serverError: 'InternalServerError',
  };
}
