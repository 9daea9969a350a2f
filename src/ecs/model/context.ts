/** What every ECS handler works with: the store, time, ids, the partition, and ECS's view of the store's change feed. */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { ChangeFeed } from './changes.ts';
import type { SnapshotCache } from './tasks/snapshot-cache.ts';

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
  /** Cluster snapshots patched from the store's changes (RunTask, services, explain). */
  snapshots: SnapshotCache;
}

/** Longshore keeps STOPPED tasks for 24 hours by default (ECS: about 1 hour). */
export const DEFAULT_STOPPED_TASK_RETENTION_MS = 24 * 60 * 60 * 1000;
