/** Token-bucket throttling per API action category, as ECS throttles per account and Region. */
import { ApiError, ErrorType } from '../core/errors.ts';

/** A bucket: `burst` tokens at most, refilled at `rate` tokens per second. */
export interface BucketSpec {
  burst: number;
  rate: number;
}

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
export type ThrottleCategory = keyof typeof EcsThrottleCategories;

/** Holds one bucket per category; `take` throws ThrottlingException when a bucket is empty. */
export class Throttle {
  readonly #buckets = new Map<string, { tokens: number; at: number; spec: BucketSpec }>();
  readonly #multiplier: number;

  /** `multiplier` scales every bucket; 0 turns throttling off. */
  constructor(multiplier: number) {
    this.#multiplier = multiplier;
  }

  get enabled(): boolean {
    return this.#multiplier > 0;
  }

  take(category: string, spec: BucketSpec, now: number): void {
    if (!this.enabled) return;
    let bucket = this.#buckets.get(category);
    const burst = spec.burst * this.#multiplier;
    if (!bucket) {
      bucket = { tokens: burst, at: now, spec };
      this.#buckets.set(category, bucket);
    }
    const refill = ((now - bucket.at) / 1000) * spec.rate * this.#multiplier;
    bucket.tokens = Math.min(burst, bucket.tokens + refill);
    bucket.at = now;
    if (bucket.tokens < 1) throw new ApiError(ErrorType.Throttling, 'Rate exceeded');
    bucket.tokens -= 1;
  }
}
