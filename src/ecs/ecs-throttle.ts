/** ECS's API throttling categories, as the gateway's token buckets take them. */
import type { BucketSpec } from '../aws/throttle.ts';

/**
 * ECS's throttling categories and their AWS default sizes (burst / sustained per second), from
 * ECS's "Request throttling for the Amazon ECS API" page. Longshore multiplies them (5x by
 * default) so that local load tests are limited by the machine rather than by AWS's quotas.
 */
export const EcsThrottleCategories = {
  clusterRead: { burst: 50, rate: 20 },
  clusterModify: { burst: 20, rate: 1 },
  containerInstanceRead: { burst: 100, rate: 20 },
  containerInstanceModify: { burst: 20, rate: 5 },
  taskDefinitionRead: { burst: 100, rate: 20 },
  taskDefinitionModify: { burst: 20, rate: 1 },
  taskRead: { burst: 100, rate: 20 },
  runTask: { burst: 100, rate: 40 },
  taskModify: { burst: 100, rate: 40 },
  serviceRead: { burst: 100, rate: 20 },
  serviceModify: { burst: 50, rate: 5 },
  accountSettings: { burst: 20, rate: 1 },
  attributesAndTags: { burst: 50, rate: 10 },
  agent: { burst: 500, rate: 100 },
} as const satisfies Record<string, BucketSpec>;
export type EcsThrottleCategory = keyof typeof EcsThrottleCategories;
