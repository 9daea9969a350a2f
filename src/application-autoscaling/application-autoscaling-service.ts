/** Application Auto Scaling as the gateway serves it: AWS JSON 1.1, target prefix `AnyScaleFrontendService`, signing name `application-autoscaling`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { AutoScalingContext } from './model/records.ts';

export const APPLICATION_AUTOSCALING_SDK_PACKAGE = '@aws-sdk/client-application-auto-scaling';

/** Application Auto Scaling's API rates are not published per operation; these match its console's pace. */
export const AutoScalingThrottleCategories = {
  read: { burst: 100, rate: 50 },
  write: { burst: 40, rate: 20 },
} as const satisfies Record<string, BucketSpec>;

export async function applicationAutoScalingService(
  contextFor: ContextFor<AutoScalingContext>,
): Promise<AwsService> {
  const model = await loadSdkModelCached({
    pkg: APPLICATION_AUTOSCALING_SDK_PACKAGE,
    implemented: Object.keys(handlers),
  });
  return {
    name: 'application-autoscaling',
    signingName: 'application-autoscaling',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: 'AnyScaleFrontendService',
    operations: operationsOf(contextFor, handlers, AutoScalingThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationException',
    serverError: 'InternalServiceException',
  };
}
