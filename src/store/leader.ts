/**
 * Leader election for singletons (controllers, schedulers, alarm evaluation): exactly one replica
 * of a cluster-mode control plane runs them. Embedded mode has one process, which always leads
 * (`alwaysLeader`); cluster mode holds a lease row in PostgreSQL (`postgres/leader-lease.ts`).
 *
 * A lease can be lost without its holder noticing in time (a pause, a partition), so the leader's
 * writes carry its fencing token: the store refuses a commit whose token is no longer the lease's
 * (`Fenced`), checked in the same database transaction as the write.
 */
import type { Store } from './store.ts';

/** A lease term: the lease's name and the token the holder got when it took it (ascending per take-over). */
export interface Fence {
  name: string;
  token: number;
}

/** A write refused because the writer's lease term is over (another replica leads now). */
export class Fenced extends Error {
  readonly fence: Fence;
  constructor(fence: Fence) {
    super(
      `lease ${fence.name} term ${fence.token} is over: another replica leads; the write was not applied`,
    );
    this.name = 'Fenced';
    this.fence = fence;
  }
}

export interface LeaderElection {
  /** True while this replica holds the lease (and believes it has not expired). */
  isLeader(): boolean;
  /** The current term's fencing token; undefined when not leading. */
  fencingToken(): number | undefined;
  /** Calls `listener` whenever leadership is gained or lost; returns the unsubscribe function. */
  onChange(listener: (leader: boolean) => void): () => void;
  /**
   * `store` as the leader writes it: every transaction commits only while the term it started in
   * holds (a deposed leader's commits fail with `Fenced`); a non-leader's fail at once.
   */
  fenced(store: Store): Store;
  /** Stops campaigning; a leader gives the lease up so another replica takes it at once. */
  close(): Promise<void>;
}

/** The embedded (SQLite) store's election: one process, always the leader, nothing to fence. */
export function alwaysLeader(): LeaderElection {
  return {
    isLeader: () => true,
    fencingToken: () => 1,
    onChange: () => () => {},
    fenced: (store) => store,
    close: async () => {},
  };
}
