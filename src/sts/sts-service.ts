/** AWS STS as the gateway serves it: AWS Query (version 2011-06-15), signing name `sts`. */
import * as sdk from '@aws-sdk/client-sts';
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames, readSdkModel } from '../aws/sdk-model.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import { handlers } from './handlers.ts';
import type { StsContext } from './sts-context.ts';

export type { StsContext } from './sts-context.ts';

/**
 * Throttle buckets (burst / per second). AWS documents no per-operation rates for STS; these are
 * Longshore's, sized like ECS's read categories, and scaled by the same multiplier.
 */
export const StsThrottleCategories = {
  identity: { burst: 100, rate: 20 },
  /** AssumeRole and GetSessionToken: AWS's STS quota is 600 requests per second per account and Region. */
  session: { burst: 600, rate: 600 },
} as const satisfies Record<string, BucketSpec>;

const model = readSdkModel(sdk);

/** Every operation of the STS model in the SDK (implemented or not). */
export function stsModelOperations(): string[] {
  return modelOperationNames(model);
}

export function stsService(contextFor: ContextFor<StsContext>): AwsService {
  return {
    name: 'sts',
    signingName: 'sts',
    protocols: [ProtocolName.AwsQuery],
    query: { version: '2011-06-15', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
    operations: operationsOf(contextFor, handlers, StsThrottleCategories, model),
    modelOperations: stsModelOperations(),
    model,
    // STS answers a missing required parameter with the Query services' common ValidationError.
    validationError: 'ValidationError',
  };
}
