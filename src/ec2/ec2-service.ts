/** Amazon EC2's networking calls as the gateway serves them: EC2 Query (version 2016-11-15), signing name `ec2`. */
import { operationsOf } from '../aws/handler-table.ts';
import { ProtocolName } from '../aws/protocols/protocol.ts';
import { modelOperationNames } from '../aws/sdk-model.ts';
import { loadSdkModelCached } from '../aws/sdk-model-cache.ts';
import type { AwsService, ContextFor } from '../aws/service.ts';
import type { BucketSpec } from '../aws/throttle.ts';
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { ec2GatewayErrors } from './gateway-errors.ts';
import { handlers } from './handlers.ts';

/** What EC2 handlers work with: the region's store view, time, randomness for ids, account and region. */
export interface Ec2Context {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
}

/**
 * Throttle buckets (burst / per second), EC2's documented request-token buckets for its default
 * account quotas: non-mutating (Describe*) 100 / 20, mutating 200 / 5, and CreateTags/DeleteTags,
 * which EC2 buckets apart, 100 / 10; scaled by the gateway's multiplier.
 */
export const Ec2ThrottleCategories = {
  describe: { burst: 100, rate: 20 },
  mutate: { burst: 200, rate: 5 },
  tags: { burst: 100, rate: 10 },
} as const satisfies Record<string, BucketSpec>;

/**
 * The SDK package EC2's model comes from. It is a 2 MB bundle (~100 MiB and 0.35-1.7 s of blocked
 * event loop to import), so the service never imports it: its model is extracted off-thread once
 * per package version and cached (src/aws/sdk-model-cache.ts); handlers import its types only.
 */
export const EC2_SDK_PACKAGE = '@aws-sdk/client-ec2';

/** The EC2 service; its model is read from the cache (built by a child process on first use). */
export async function ec2Service(contextFor: ContextFor<Ec2Context>): Promise<AwsService> {
  const model = await loadSdkModelCached({ pkg: EC2_SDK_PACKAGE, implemented: Object.keys(handlers) });
  return {
    name: 'ec2',
    signingName: 'ec2',
    protocols: [ProtocolName.Ec2Query],
    query: { version: '2016-11-15', xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
    operations: operationsOf(contextFor, handlers, Ec2ThrottleCategories, model),
    modelOperations: modelOperationNames(model),
    model,
    // EC2's answer to a request without a required parameter (worded by gatewayErrors).
    validationError: 'MissingParameter',
    serverError: 'InternalError',
    gatewayErrors: ec2GatewayErrors,
  };
}
