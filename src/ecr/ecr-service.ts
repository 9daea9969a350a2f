/** Amazon ECR's API as the gateway serves it: AWS JSON 1.1, target prefix `AmazonEC2ContainerRegistry_V20150921`, signing name `ecr`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { EcrContext } from './model/records.ts';

export type { EcrContext } from './model/records.ts';

/** The SDK package ECR's model comes from; only its types are imported elsewhere. */
export const ECR_SDK_PACKAGE = '@aws-sdk/client-ecr';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

/**
 * Throttle buckets (burst / per second) after ECR's documented API rate quotas: 500/s for
 * GetAuthorizationToken, 1,000-2,000/s for the image reads a pull makes, 10/s for PutImage; ECR
 * gives no figure for the repository and policy calls, so `read` and `mutate` are Longshore's.
 */
export const EcrThrottleCategories = {
  auth: { burst: 500, rate: 500 },
  images: { burst: 1000, rate: 1000 },
  putImage: { burst: 10, rate: 10 },
  read: { burst: 100, rate: 50 },
  mutate: { burst: 50, rate: 20 },
} as const satisfies Record<string, BucketSpec>;

/**
 * The ECR service. Its model is read from the SDK model cache (extracted off the event loop by a
 * child process on first use), so loading ECR never imports the SDK package in the control plane.
 */
export async function ecrService(contextFor: ContextFor<EcrContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: ECR_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'ecr',
    signingName: 'ecr',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: ECR_TARGET_PREFIX,
    operations: operationsOf(contextFor, handlers, EcrThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    // A missing required member: ECR answers InvalidParameterException (the gateway's default).
    serverError: 'ServerException',
  };
}
