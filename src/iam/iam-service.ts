/**
 * AWS IAM as the gateway serves it: AWS Query (version 2010-05-08), signing name `iam`. IAM is
 * global: whatever region a request is signed for, it works on the one account's records in the
 * root store (AWS answers IAM from us-east-1), and no IAM ARN carries a region.
 */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { IamContext } from './model/records.ts';

export const IAM_SDK_PACKAGE = '@aws-sdk/client-iam';

/**
 * Throttle buckets (burst / per second). AWS documents no per-operation IAM rates (it throttles
 * the account's control-plane calls as a whole); these are Longshore's.
 */
export const IamThrottleCategories = {
  read: { burst: 100, rate: 20 },
  write: { burst: 50, rate: 10 },
} as const satisfies Record<string, BucketSpec>;

export async function iamService(contextFor: ContextFor<IamContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: IAM_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'iam',
    signingName: 'iam',
    protocols: [ProtocolName.AwsQuery],
    query: { version: '2010-05-08', xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
    operations: operationsOf(contextFor, handlers, IamThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationError',
    serverError: 'ServiceFailureException',
  };
}
