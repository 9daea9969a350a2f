/** A feed of record changes: writers publish keys, controllers and the agent hub subscribe. */

export type ChangeKind = 'cluster' | 'task' | 'service' | 'container-instance';

/** Names what changed; subscribers re-read the record (level-triggered), never trust a payload. */
export interface Change {
  kind: ChangeKind;
  cluster: string;
  /** The record's store key. */
  key: string;
}

export class ChangeFeed {
  readonly #listeners = new Set<(change: Change) => void>();

  subscribe(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(change: Change): void {
    for (const listener of this.#listeners) listener(change);
  }
}
