/** What every ECS handler works with: the store, time, ids, the partition, and the change feed. */
import type { Partition } from '../core/arn.ts';
import type { ChangeFeed } from '../core/changes.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../store/store.ts';

export interface EcsConfig {
  /** How long STOPPED tasks stay describable (ECS keeps them about an hour). */
  stoppedTaskRetentionMs: number;
  /** The endpoint agents are told to connect to (DiscoverPollEndpoint). */
  pollEndpoint: string;
}

export interface EcsContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  config: EcsConfig;
  changes: ChangeFeed;
}

/** Longshore keeps STOPPED tasks for 24 hours by default (ECS: about 1 hour). */
export const DEFAULT_STOPPED_TASK_RETENTION_MS = 24 * 60 * 60 * 1000;
