/**
 * ECS's view of the store's change feed: which cluster, task, service or container instance a
 * committed write touched. Controllers and the agent hub subscribe; nothing publishes by hand,
 * because every committed write already goes through the store's feed.
 */
import { type ChangeBatch, Kind, type Store, type StoreChange } from '../../store/store.ts';

export type ChangeKind = 'cluster' | 'task' | 'service' | 'container-instance';

/** Names what changed; subscribers re-read the record (level-triggered), never trust a payload. */
export interface Change {
  kind: ChangeKind;
  cluster: string;
  /** The record's store key. */
  key: string;
}

/** What a subscriber hears: one change, or that changes were lost and everything must be looked at again. */
export type ChangeListener = (change: Change) => void;

const KINDS: Partial<Record<Kind, ChangeKind>> = {
  [Kind.Cluster]: 'cluster',
  [Kind.Task]: 'task',
  [Kind.Service]: 'service',
  [Kind.ContainerInstance]: 'container-instance',
};

/** The ECS change for a store change, when it is one of ECS's resources (keys embed their cluster). */
export function ecsChange(change: StoreChange): Change | undefined {
  const kind = KINDS[change.kind];
  if (!kind) return undefined;
  const cluster = kind === 'cluster' ? change.key : change.key.slice(0, change.key.indexOf('/'));
  return { kind, cluster, key: change.key };
}

export class ChangeFeed {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * `listener` hears every ECS record change committed from now on; `onGap` runs when the store
   * says changes were lost (then everything derived must be re-read).
   */
  subscribe(listener: ChangeListener, onGap?: () => void): () => void {
    return this.#store.watch((batch: ChangeBatch) => {
      if (batch.gap) onGap?.();
      for (const c of batch.changes) {
        const change = ecsChange(c);
        if (change) listener(change);
      }
    });
  }
}
