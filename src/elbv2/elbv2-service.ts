/** Elastic Load Balancing v2 as the gateway serves it: AWS Query (version 2015-12-01), signing name `elasticloadbalancing`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { handlers } from './handlers.ts';

/** What ELBv2 handlers work with: the region's store view, time, randomness for ids, account and region. */
export interface Elbv2Context {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
}

/**
 * Throttle buckets (burst / per second). ELBv2 documents no request rates; these are Longshore's,
 * sized like EC2's non-mutating and mutating buckets, scaled by the gateway's multiplier. Target
 * registration has its own bucket: ECS registers and deregisters on every task start and stop.
 */
export const Elbv2ThrottleCategories = {
  describe: { burst: 100, rate: 20 },
  mutate: { burst: 100, rate: 10 },
  targets: { burst: 200, rate: 40 },
} as const satisfies Record<string, BucketSpec>;

/** The SDK package ELBv2's model comes from; the service reads an extract of it (sdk-model-cache.ts). */
export const ELBV2_SDK_PACKAGE = '@aws-sdk/client-elastic-load-balancing-v2';

export async function elbv2Service(contextFor: ContextFor<Elbv2Context>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: ELBV2_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'elbv2',
    signingName: 'elasticloadbalancing',
    protocols: [ProtocolName.AwsQuery],
    query: {
      version: '2015-12-01',
      xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    },
    operations: operationsOf(contextFor, handlers, Elbv2ThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    // ELBv2 answers a missing required parameter with the Query services' common ValidationError.
    validationError: 'ValidationError',
  };
}
