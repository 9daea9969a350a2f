import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRng } from '../../src/core/clock.ts';
import { MemoryTable } from '../../src/store/memory-table.ts';

test('listings stay in key order through inserts, updates and deletes (against a naive model)', () => {
  const rng = seededRng('memory-table');
  const table = new MemoryTable();
  const model = new Map<string, number>();
  const prefixes = ['', 'a/', 'b/', 'a/1', 'c', 'zz/'];
  const key = () => `${'abc'[Math.floor(rng.next() * 3)]}/${Math.floor(rng.next() * 40)}`;
  for (let step = 0; step < 3000; step++) {
    const k = key();
    if (rng.next() < 0.3) {
      table.delete(k);
      model.delete(k);
    } else {
      const version = step;
      table.set(k, { key: k, version, value: { k } });
      model.set(k, version);
    }
    // List now and then, so both the built and the not-yet-built ordering are exercised.
    if (step % 7 === 0) {
      for (const prefix of prefixes) {
        const expected = [...model]
          .filter(([k2]) => k2.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k2, v]) => `${k2}@${v}`);
        const listed = table.list(prefix).map((r) => `${r.key}@${r.version}`);
        assert.deepEqual(listed, expected, `prefix '${prefix}' at step ${step}`);
      }
    }
  }
  // A listing is the caller's own array.
  const listed = table.list('a/');
  listed.reverse();
  assert.notDeepEqual(listed, table.list('a/'));
});
