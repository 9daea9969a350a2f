/** AWS Certificate Manager's certificate calls as the gateway serves them: AWS JSON 1.1, target prefix `CertificateManager`, signing name `acm`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import type { AcmContext } from './acm-context.ts';
import { handlers } from './handlers.ts';

export const ACM_SDK_PACKAGE = '@aws-sdk/client-acm';

/** ACM's documented request rates: ImportCertificate 1/s, DescribeCertificate 10/s, ListCertificates 8/s; others Longshore's. */
export const AcmThrottleCategories = {
  import: { burst: 5, rate: 1 },
  read: { burst: 20, rate: 10 },
  mutate: { burst: 10, rate: 5 },
} as const satisfies Record<string, BucketSpec>;

export async function acmService(contextFor: ContextFor<AcmContext>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: ACM_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'acm',
    signingName: 'acm',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: 'CertificateManager',
    operations: operationsOf(contextFor, handlers, AcmThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationException',
  };
}
