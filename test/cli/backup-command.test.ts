/**
 * `longshore backup` and `longshore restore` as a user runs them: progress and summary lines, the
 * keys warning, usage errors, and a restore refused while another process holds the data directory.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lockDataDir } from '../../src/cli/data-dir-lock.ts';
import { lazyKeyFileCipher } from '../../src/crypto/value-cipher.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';
import { spawnCli } from '../support/spawn-cli.ts';

const root = mkdtempSync(join(tmpdir(), 'longshore-backup-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function longshore(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = spawnCli(args, { LONGSHORE_STORE: '' });
  const [code] = await once(run.child, 'exit');
  return { code: code as number | null, output: run.output() };
}

describe('longshore backup / restore', () => {
  it('backs up and restores a data directory, telling progress, the keys warning and a summary', async () => {
    const source = join(root, 'source');
    const store = SqliteStore.open(join(source, 'longshore.db'));
    await store.transact(async (tx) => {
      for (let i = 0; i < 10_500; i++) await tx.put(Kind.Task, `default/${i}`, { i });
    });
    await store.close();
    // The control plane makes the key files on first use; make one as it would.
    lazyKeyFileCipher(join(source, 'keys', 'iam.key'))();

    const out = join(root, 'backup');
    const made = await longshore(['backup', '--out', out, '--data-dir', source]);
    assert.equal(made.code, 0, made.output);
    assert.match(made.output, /backup: 10,000 records\n/);
    assert.match(made.output, /warning: .*keys holds the keys .*iam\.key/);
    assert.match(made.output, /backup: 10,500 records, [\d,]+ bytes in [\d.]+ s -> /);

    const target = join(root, 'target');
    const restored = await longshore(['restore', '--from', out, '--data-dir', target]);
    assert.equal(restored.code, 0, restored.output);
    assert.match(restored.output, /restore: 10,500 records, key files iam\.key in [\d.]+ s/);
    const again = await longshore(['restore', '--from', out, '--data-dir', target]);
    assert.equal(again.code, 1);
    assert.match(again.output, /already holds 10,500 records.*add --force/);
  });

  it('refuses to restore into a data directory another process holds', async () => {
    const dir = join(root, 'locked');
    const lock = lockDataDir(dir);
    try {
      const run = await longshore(['restore', '--from', join(root, 'backup'), '--data-dir', dir]);
      assert.equal(run.code, 1);
      assert.match(run.output, new RegExp(`in use by another longshore process \\(pid ${process.pid}\\)`));
    } finally {
      lock.release();
    }
  });

  it('prints its usage and exits 2 without --out or --from', async () => {
    const backup = await longshore(['backup']);
    assert.equal(backup.code, 2);
    assert.match(backup.output, /usage: longshore backup --out DIR/);
    const restore = await longshore(['restore', '--data-dir', root]);
    assert.equal(restore.code, 2);
    assert.match(restore.output, /usage: longshore restore --from DIR/);
  });
});
