/**
 * Cluster mode: each control-plane replica says it is alive with a record (`Kind.Replica`: its id,
 * the endpoint agents reach it at, whether it leads) written when it starts and every
 * `REPLICA_HEARTBEAT_MS`, and removed when it stops cleanly. Agents learn where to reconnect from
 * it (the hub's `welcome`), and the leader ends the agent sessions of a replica whose record went
 * stale (`endOrphanedSessions`). Heartbeats are stamped with the writer's clock: replicas' clocks
 * must agree within a few seconds (NTP), as the leader lease's margins already assume.
 */
import { describeError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { Kind, type Store } from '../store/store.ts';

export const REPLICA_HEARTBEAT_MS = 5_000;
/** A replica whose last heartbeat is older than this is gone: its agents must reconnect elsewhere. */
export const REPLICA_EXPIRY_MS = 3 * REPLICA_HEARTBEAT_MS;

export interface ReplicaRecord {
  id: string;
  /** Where agents and API clients reach this replica (its printed endpoint). */
  endpoint: string;
  startedAt: number;
  heartbeatAt: number;
  leader: boolean;
  /** Longshore's version (operators upgrading one replica at a time see both). */
  version: string;
}

export interface ReplicaPresenceOptions {
  /** The installation's store (not a region view): presence is not per region. */
  store: Store;
  id: string;
  endpoint: () => string;
  leader: () => boolean;
  version: string;
  clock: Clock;
  log: { warn(obj: object, msg: string): void };
  everyMs?: number;
}

export class ReplicaPresence {
  readonly #o: ReplicaPresenceOptions;
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;
  /** When this replica's own heartbeat last landed (epoch ms by its clock). */
  #landedAt: number;
  #beating: Promise<void> = Promise.resolve();

  constructor(options: ReplicaPresenceOptions) {
    this.#o = options;
    this.#startedAt = options.clock.now();
    this.#landedAt = this.#startedAt;
  }

  get id(): string {
    return this.#o.id;
  }

  /** Writes the first heartbeat (before agents may connect) and keeps beating. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => {
      this.#beating = this.beat().catch((error: unknown) =>
        this.#o.log.warn({ error: describeError(error) }, 'replica heartbeat failed'),
      );
    }, this.#o.everyMs ?? REPLICA_HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Writes this replica's record now (also when leadership changes, so the record tells at once). */
  async beat(): Promise<void> {
    const now = this.#o.clock.now();
    const record: ReplicaRecord = {
      id: this.#o.id,
      endpoint: this.#o.endpoint(),
      startedAt: this.#startedAt,
      heartbeatAt: now,
      leader: this.#o.leader(),
      version: this.#o.version,
    };
    await this.#o.store.transact((tx) => tx.put(Kind.Replica, this.#o.id, record));
    this.#landedAt = now;
  }

  /**
   * False once this replica's heartbeats have failed for longer than others wait before calling
   * it gone: its agent sessions are then someone else's to end, and it should let its agents go.
   */
  healthy(): boolean {
    return this.#o.clock.now() - this.#landedAt < REPLICA_EXPIRY_MS;
  }

  /** The replicas whose heartbeat is recent, as this replica's store shows them now. */
  async live(): Promise<ReplicaRecord[]> {
    const now = this.#o.clock.now();
    const records = await this.#o.store.list<ReplicaRecord>(Kind.Replica);
    return records.map((r) => r.value).filter((r) => now - r.heartbeatAt < REPLICA_EXPIRY_MS);
  }

  /** Stops beating and removes the record (a clean stop: agents move on at once). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#beating;
    await this.#o.store
      .transact((tx) => tx.remove(Kind.Replica, this.#o.id))
      .catch((error: unknown) =>
        this.#o.log.warn({ error: describeError(error) }, 'removing the replica record failed'),
      );
  }
}
