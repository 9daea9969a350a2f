/**
 * Where log events live: an append-mostly table indexed by (group, time) and (group, stream,
 * time), behind this small interface so cluster mode can put a PostgreSQL implementation beside
 * the embedded SQLite one (sqlite-event-store.ts). Groups and streams are named by numeric ids
 * the KV records carry; every event gets a store-wide increasing `id` that orders events of the
 * same millisecond and makes page cursors exact.
 */

export interface NewEvent {
  timestamp: number;
  message: string;
}

export interface StoredEvent {
  id: number;
  streamId: number;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

/** A position between events: after (or before) the event `(timestamp, id)`. */
export interface Cursor {
  timestamp: number;
  id: number;
}

/** Per stream, kept by the store in the same transaction as the events. */
export interface StreamStats {
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
  /** UTF-8 bytes of the messages plus 26 per event (how PutLogEvents counts). */
  storedBytes: number;
}

export interface StreamQuery {
  groupId: number;
  streamId: number;
  startTime?: number;
  /** Exclusive. */
  endTime?: number;
  /** Ascending from after `after`, or descending from before `before`. */
  after?: Cursor;
  before?: Cursor;
  descending: boolean;
  limit: number;
}

export interface ScanQuery {
  groupId: number;
  /** Only these streams (undefined: all). */
  streamIds?: readonly number[];
  startTime?: number;
  /** Exclusive. */
  endTime?: number;
  after?: Cursor;
  limit: number;
  /** Substrings every returned event must contain (a filter pattern's required terms). */
  contains?: readonly string[];
}

export interface EventStore {
  /** A new id for a group or a stream, never handed out before. */
  newId(): Promise<number>;
  /** Appends events of one stream in one transaction; all or nothing. */
  append(
    groupId: number,
    streamId: number,
    events: readonly NewEvent[],
    ingestionTime: number,
  ): Promise<void>;
  /** One stream's events in time order (see StreamQuery). */
  streamEvents(query: StreamQuery): Promise<StoredEvent[]>;
  /** A group's events in (timestamp, id) order, at most `limit` rows scanned. */
  scan(query: ScanQuery): Promise<StoredEvent[]>;
  /** Statistics of the group's streams that have events. */
  streamStats(groupId: number): Promise<Map<number, StreamStats>>;
  /** Deletes a group's events (all of them, or one stream's). */
  deleteEvents(groupId: number, streamId?: number): Promise<void>;
  /** Deletes at most `max` events of the group older than `cutoff`; returns how many it deleted. */
  expire(groupId: number, cutoff: number, max: number): Promise<number>;
  close(): Promise<void>;
}

/** What PutLogEvents counts for an event: its UTF-8 bytes plus 26. */
export const EVENT_OVERHEAD_BYTES = 26;
