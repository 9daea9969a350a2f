/** EC2 Auto Scaling as the gateway serves it: AWS Query (version 2011-01-01), signing name `autoscaling`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { AutoScalingGroupsContext } from './model/records.ts';

export const AUTOSCALING_SDK_PACKAGE = '@aws-sdk/client-auto-scaling';

/** EC2 Auto Scaling publishes no per-operation rates; these are Longshore's, EC2-like. */
export const AutoScalingGroupsThrottleCategories = {
  read: { burst: 100, rate: 20 },
  write: { burst: 50, rate: 10 },
} as const satisfies Record<string, BucketSpec>;

export async function autoScalingService(
  contextFor: ContextFor<AutoScalingGroupsContext>,
): Promise<AwsService> {
  const model = await loadSdkModelCached({
    pkg: AUTOSCALING_SDK_PACKAGE,
    implemented: Object.keys(handlers),
  });
  return {
    name: 'autoscaling',
    signingName: 'autoscaling',
    protocols: [ProtocolName.AwsQuery],
    query: {
      version: '2011-01-01',
      xmlNamespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
    },
    operations: operationsOf(contextFor, handlers, AutoScalingGroupsThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    validationError: 'ValidationError',
  };
}
