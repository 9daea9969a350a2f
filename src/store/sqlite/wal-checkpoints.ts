/**
 * WAL checkpoints off the event loop. A checkpoint copies the WAL into the database file and
 * flushes it to disk: tens of milliseconds, which SQLite's automatic checkpoint spends inside
 * whichever commit crosses the threshold, so one request waited for the flush of many others'
 * writes. Here one worker thread, shared by every database of the process that asks (the store,
 * the logs event store), runs a PASSIVE checkpoint of each every second on a connection of its
 * own: it never blocks writers or readers, and commits never wait for a flush. Durability is
 * unchanged: with synchronous=NORMAL in WAL mode a committed transaction survives the process's
 * death (kill -9) whether or not it has been checkpointed.
 *
 * The worker (an isolate, ~10 MiB) starts with the first database watched and exits with the last
 * one released: a control plane that writes little never starts it (SqliteStore watches only once
 * it is busy).
 */
import { Worker } from 'node:worker_threads';

/** How often each watched database is checkpointed. */
export const CHECKPOINT_EVERY_MS = 1_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const dbs = new Map();
const checkpoint = (db) => { try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch {} };
setInterval(() => { for (const db of dbs.values()) checkpoint(db); }, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m.type === 'add') {
    const db = new DatabaseSync(m.path);
    db.exec('PRAGMA busy_timeout = 5000');
    dbs.set(m.path, db);
    return;
  }
  const db = dbs.get(m.path);
  dbs.delete(m.path);
  if (db) { checkpoint(db); db.close(); }
  parentPort.postMessage({ type: 'removed', id: m.id });
  if (dbs.size === 0) process.exit(0);
});
`;

let worker: Worker | undefined;
const watched = new Set<string>();
const pending = new Map<number, () => void>();
let nextId = 0;

/**
 * Checkpoints the WAL of the database at `path` from the shared worker until the returned
 * function is called; that function runs a last checkpoint and closes the worker's connection.
 * The caller turns SQLite's own checkpoints off (`PRAGMA wal_autocheckpoint = 0`) on its connections.
 */
export function watchWal(path: string): () => Promise<void> {
  if (watched.has(path)) throw new Error(`the WAL of ${path} is already checkpointed`);
  watched.add(path);
  if (worker === undefined) {
    const started = new Worker(WORKER, { eval: true, workerData: { everyMs: CHECKPOINT_EVERY_MS } });
    started.on('message', (m: { type: 'removed'; id: number }) => pending.get(m.id)?.());
    started.once('exit', () => {
      if (worker === started) worker = undefined;
      for (const resolve of pending.values()) resolve();
      pending.clear();
    });
    started.unref();
    worker = started;
  }
  const w = worker;
  w.postMessage({ type: 'add', path });
  let released: Promise<void> | undefined;
  return () => {
    released ??= new Promise<void>((resolve) => {
      const id = nextId++;
      watched.delete(path);
      // The worker exits once it has released its last database: the next watch starts another.
      if (watched.size === 0 && worker === w) worker = undefined;
      pending.set(id, () => {
        pending.delete(id);
        if (pending.size === 0) w.unref();
        resolve();
      });
      // Held open until the worker answers: the last checkpoint must not be cut short by exit.
      w.ref();
      w.postMessage({ type: 'remove', path, id });
    });
    return released;
  };
}

/** Whether the worker runs (diagnostics and tests: a quiet process has none). */
export function walCheckpointerRunning(): boolean {
  return worker !== undefined;
}
