import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { walCheckpointerRunning } from '../../src/store/sqlite/wal-checkpoints.ts';
import { Kind } from '../../src/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'longshore-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PAD = 'x'.repeat(4000); // about one page per record
const walBytes = (path: string) => statSync(`${path}-wal`).size;

async function write(store: SqliteStore, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await store.transact(async (tx) => {
      await tx.put(Kind.Cluster, `c${i}`, { name: `c${i}`, pad: PAD });
    });
  }
}

test('a quiet store keeps SQLite checkpoints and starts no thread', async () => {
  const path = join(dir, 'quiet.db');
  const store = SqliteStore.open(path);
  await write(store, 0, 20);
  assert.equal(walCheckpointerRunning(), false);
  await store.close();
});

test('a busy store checkpoints from the worker: the WAL stops growing though SQLite never checkpoints', async () => {
  const path = join(dir, 'busy.db');
  const store = SqliteStore.open(path);
  await write(store, 0, 100); // BUSY_COMMITS: from here SQLite's own checkpoints are off
  assert.equal(walCheckpointerRunning(), true);
  // Ten rounds of writes with pauses: unchecked, the WAL would hold all ten (it grows by a round's
  // frames each time); checkpointed, it restarts and stays within a few rounds.
  await write(store, 100, 500);
  const round = walBytes(path);
  for (let r = 1; r < 10; r++) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await write(store, 100 + r * 500, 500);
  }
  assert.ok(
    walBytes(path) < 4 * round,
    `WAL is ${walBytes(path)} bytes after 10 rounds of ${round}: nothing checkpointed it`,
  );
  await store.close();
  // Released with the last database: a later busy store starts a new worker.
  assert.equal(walCheckpointerRunning(), false);
  const reopened = SqliteStore.open(path);
  assert.equal((await reopened.get<{ name: string }>(Kind.Cluster, 'c5099'))?.value.name, 'c5099');
  assert.equal((await reopened.list(Kind.Cluster)).length, 5100);
  await write(reopened, 10_000, 100);
  assert.equal(walCheckpointerRunning(), true);
  await reopened.close();
  assert.equal(walCheckpointerRunning(), false);
});
