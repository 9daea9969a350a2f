/** What ACM handlers work with: the region's store, time, ids, account and region. */
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';

export interface AcmContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
}
