/** AWS Secrets Manager as the gateway serves it: AWS JSON 1.1, target prefix `secretsmanager`, signing name `secretsmanager`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { SecretsManagerContext } from './model/records.ts';

export const SECRETS_MANAGER_SDK_PACKAGE = '@aws-sdk/client-secrets-manager';

/** Secrets Manager's documented rates: GetSecretValue and DescribeSecret 10,000/s, writes 50/s. */
export const SecretsManagerThrottleCategories = {
  read: { burst: 10_000, rate: 10_000 },
  write: { burst: 50, rate: 50 },
} as const satisfies Record<string, BucketSpec>;

export async function secretsManagerService(
  contextFor: ContextFor<SecretsManagerContext>,
): Promise<AwsService> {
  const model = await loadSdkModelCached({
    pkg: SECRETS_MANAGER_SDK_PACKAGE,
    implemented: Object.keys(handlers),
  });
  return {
    name: 'secretsmanager',
    signingName: 'secretsmanager',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: 'secretsmanager',
    operations: operationsOf(contextFor, handlers, SecretsManagerThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'InvalidParameterException',
    serverError: 'InternalServiceError',
  };
}
