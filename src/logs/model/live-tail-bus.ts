/**
 * Live Tail's feed: PutLogEvents tells the bus of the events it stored, and each Live Tail session
 * listens for its groups. One bus per event store (per control plane): a session sees the events
 * ingested by the process it is connected to (in cluster mode, by its replica).
 */
import type { EventStore } from './event-store.ts';

export interface IngestedBatch {
  logGroupName: string;
  logStreamName: string;
  ingestionTime: number;
  events: readonly { timestamp: number; message: string }[];
}

export type TailListener = (batch: IngestedBatch) => void;

export class LiveTailBus {
  readonly #listeners = new Map<string, Set<TailListener>>();

  /** Listens for events of `group`; returns the function that stops it. */
  listen(group: string, listener: TailListener): () => void {
    const set = this.#listeners.get(group) ?? new Set();
    set.add(listener);
    this.#listeners.set(group, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(group) === set) this.#listeners.delete(group);
    };
  }

  /** Events stored by PutLogEvents (a listener that throws is not allowed to stop the others). */
  publish(batch: IngestedBatch): void {
    if (batch.events.length === 0) return;
    for (const listener of this.#listeners.get(batch.logGroupName) ?? []) {
      try {
        listener(batch);
      } catch {
        // A session's own failure ends that session, never the ingestion.
      }
    }
  }

  get listening(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }
}

const buses = new WeakMap<EventStore, LiveTailBus>();

/** The bus of the process's event store. */
export function liveTailBus(events: EventStore): LiveTailBus {
  let bus = buses.get(events);
  if (!bus) {
    bus = new LiveTailBus();
    buses.set(events, bus);
  }
  return bus;
}
