/** The Store conformance suite: every Store implementation (SQLite now, PostgreSQL later) must pass it. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type ChangeBatch, Kind, type Store, VersionConflict } from '../../src/store/store.ts';

export interface StoreFactory {
  /** A new, empty store. */
  create(): Promise<Store>;
  /** Closes `store` and opens the same data again (restart), when the implementation persists. */
  reopen?(store: Store): Promise<Store>;
  destroy(store: Store): Promise<void>;
}

export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => {
      await factory.destroy(store);
    });

    it('puts and gets with versions starting at 1', async () => {
      const v = await store.transact((tx) => tx.put(Kind.Cluster, 'a', { n: 1 }));
      assert.equal(v, 1);
      const got = await store.get<{ n: number }>(Kind.Cluster, 'a');
      assert.deepEqual(got, { key: 'a', version: 1, value: { n: 1 } });
      const v2 = await store.transact((tx) => tx.put(Kind.Cluster, 'a', { n: 2 }, 1));
      assert.equal(v2, 2);
    });

    it('rejects a stale expected version and an existing record with absent', async () => {
      await store.transact((tx) => tx.put(Kind.Cluster, 'a', { n: 1 }));
      await assert.rejects(
        store.transact((tx) => tx.put(Kind.Cluster, 'a', { n: 3 }, 7)),
        VersionConflict,
      );
      await assert.rejects(
        store.transact((tx) => tx.put(Kind.Cluster, 'a', { n: 3 }, 'absent')),
        VersionConflict,
      );
      assert.equal((await store.get<{ n: number }>(Kind.Cluster, 'a'))?.value.n, 1);
    });

    it('rolls back every write of a transaction that throws', async () => {
      await assert.rejects(
        store.transact(async (tx) => {
          await tx.put(Kind.Task, 'c/1', { x: 1 });
          await tx.put(Kind.Task, 'c/2', { x: 2 });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.list(Kind.Task), []);
    });

    it('lets a transaction read its own writes and lists by prefix in key order', async () => {
      await store.transact(async (tx) => {
        await tx.put(Kind.Task, 'c1/b', { i: 2 });
        await tx.put(Kind.Task, 'c1/a', { i: 1 });
        await tx.put(Kind.Task, 'c2/a', { i: 3 });
        assert.equal((await tx.get<{ i: number }>(Kind.Task, 'c1/b'))?.value.i, 2);
        assert.deepEqual(
          (await tx.list(Kind.Task, { prefix: 'c1/' })).map((r) => r.key),
          ['c1/a', 'c1/b'],
        );
      });
      assert.deepEqual(
        (await store.list(Kind.Task, { prefix: 'c1/' })).map((r) => r.key),
        ['c1/a', 'c1/b'],
      );
      assert.equal((await store.list(Kind.Task)).length, 3);
    });

    it('removes records, with expected versions', async () => {
      await store.transact((tx) => tx.put(Kind.Service, 's', { a: 1 }));
      await assert.rejects(
        store.transact((tx) => tx.remove(Kind.Service, 's', 5)),
        VersionConflict,
      );
      assert.equal(await store.transact((tx) => tx.remove(Kind.Service, 's', 1)), true);
      assert.equal(await store.get(Kind.Service, 's'), undefined);
      assert.equal(await store.transact((tx) => tx.remove(Kind.Service, 's')), false);
    });

    it('hides uncommitted writes from readers outside the transaction', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const writing = store.transact(async (tx) => {
        await tx.put(Kind.Cluster, 'hidden', { ok: true });
        await gate;
      });
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(await store.get(Kind.Cluster, 'hidden'), undefined);
      release();
      await writing;
      assert.ok(await store.get(Kind.Cluster, 'hidden'));
    });

    it('serializes concurrent read-modify-write transactions (no lost update)', async () => {
      await store.transact((tx) => tx.put(Kind.Meta, 'counter', { n: 0 }));
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transact(async (tx) => {
            const cur = await tx.get<{ n: number }>(Kind.Meta, 'counter');
            await tx.put(Kind.Meta, 'counter', { n: (cur?.value.n ?? 0) + 1 }, cur?.version);
          }),
        ),
      );
      assert.equal((await store.get<{ n: number }>(Kind.Meta, 'counter'))?.value.n, 50);
    });

    it('returns records that cannot be changed by accident', async () => {
      await store.transact((tx) => tx.put(Kind.Cluster, 'f', { list: [1] }));
      const got = await store.get<{ list: number[] }>(Kind.Cluster, 'f');
      assert.throws(() => {
        got?.value.list.push(2);
      }, TypeError);
    });

    it('runs onCommit callbacks after a commit and never after a rollback', async () => {
      const seen: string[] = [];
      await store.transact(async (tx) => {
        await tx.put(Kind.Cluster, 'cb', { v: 1 });
        tx.onCommit(() => seen.push('committed'));
        assert.deepEqual(seen, []);
      });
      await assert.rejects(
        store.transact(async (tx) => {
          tx.onCommit(() => seen.push('rolled back'));
          throw new Error('no');
        }),
      );
      assert.deepEqual(seen, ['committed']);
    });

    it('announces each committed transaction once, in order, to every watcher', async () => {
      const seen: ChangeBatch[] = [];
      const inside: (number | undefined)[] = [];
      const stop = store.watch((batch) => {
        seen.push(batch);
        // A watcher sees the committed state.
        for (const c of batch.changes) if (c.kind === Kind.Cluster) inside.push(c.version);
      });
      const before = store.revision();
      await store.transact(async (tx) => {
        await tx.put(Kind.Cluster, 'w', { v: 1 });
        await tx.put(Kind.Task, 'w/1', { v: 1 });
        assert.equal(seen.length, 0, 'nothing is announced before the commit');
      });
      await store.transact((tx) => tx.remove(Kind.Task, 'w/1'));
      await store.transact((tx) => tx.get(Kind.Cluster, 'w')); // read-only: nothing to announce
      await assert.rejects(
        store.transact(async (tx) => {
          await tx.put(Kind.Cluster, 'w', { v: 9 });
          throw new Error('rolled back');
        }),
      );
      stop();
      await store.transact((tx) => tx.put(Kind.Cluster, 'w', { v: 2 }, 1)); // after unsubscribing
      assert.deepEqual(
        seen.map((b) => ({ ...b, changes: [...b.changes].sort((x, y) => x.kind.localeCompare(y.kind)) })),
        [
          {
            revision: before + 1,
            gap: false,
            changes: [
              { kind: Kind.Cluster, key: 'w', version: 1 },
              { kind: Kind.Task, key: 'w/1', version: 1 },
            ],
          },
          {
            revision: before + 2,
            gap: false,
            changes: [{ kind: Kind.Task, key: 'w/1', version: undefined }],
          },
        ],
      );
      assert.deepEqual(inside, [1]);
      assert.equal(store.revision(), before + 3);
    });

    it('names what changed under a prefix since a cursor, and a transaction sees its own writes as pending', async () => {
      await store.transact(async (tx) => {
        await tx.put(Kind.Task, 'a/1', { v: 1 });
        await tx.put(Kind.Task, 'b/1', { v: 1 });
      });
      const start = store.changesSince(Kind.Task, 'a/', undefined);
      assert.equal(start.changed, undefined, 'no cursor: the caller must list');
      await store.transact(async (tx) => {
        await tx.put(Kind.Task, 'a/2', { v: 1 });
        await tx.put(Kind.Task, 'b/2', { v: 1 });
        await tx.remove(Kind.Task, 'a/1');
      });
      const next = store.changesSince(Kind.Task, 'a/', start.cursor, ['a/9']);
      assert.deepEqual([...(next.changed?.keys() ?? [])].sort(), ['a/1', 'a/2', 'a/9']);
      assert.equal(next.changed?.get('a/1'), undefined);
      assert.equal(next.changed?.get('a/2')?.version, 1);
      assert.deepEqual(next.pending, []);
      await store.transact(async (tx) => {
        await tx.put(Kind.Task, 'a/3', { v: 1 });
        const mine = tx.changesSince(Kind.Task, 'a/', next.cursor);
        assert.deepEqual(mine.pending, ['a/3']);
        assert.equal(mine.changed?.get('a/3')?.version, 1);
      });
      const nothing = store.changesSince(
        Kind.Task,
        'b/',
        store.changesSince(Kind.Task, 'b/', undefined).cursor,
      );
      assert.equal(nothing.changed?.size, 0);
    });

    it('announces clear() as a gap', async () => {
      const seen: ChangeBatch[] = [];
      const stop = store.watch((batch) => seen.push(batch));
      await store.transact((tx) => tx.put(Kind.Cluster, 'g', {}));
      await store.clear();
      stop();
      assert.equal(seen.length, 2);
      assert.equal(seen[1].gap, true);
      assert.ok(seen[1].revision > seen[0].revision);
    });

    it('clears everything', async () => {
      await store.transact((tx) => tx.put(Kind.Cluster, 'x', {}));
      await store.clear();
      assert.deepEqual(await store.list(Kind.Cluster), []);
    });

    if (factory.reopen) {
      it('keeps every committed record across a restart', async () => {
        await store.transact(async (tx) => {
          await tx.put(Kind.Cluster, 'keep', { v: 'x' });
          await tx.put(Kind.Task, 'keep/1', { v: 'y' });
        });
        await store.transact((tx) => tx.put(Kind.Cluster, 'keep', { v: 'z' }, 1));
        store = await factory.reopen!(store);
        assert.deepEqual(await store.get(Kind.Cluster, 'keep'), {
          key: 'keep',
          version: 2,
          value: { v: 'z' },
        });
        assert.equal((await store.list(Kind.Task)).length, 1);
      });
    }
  });
}
