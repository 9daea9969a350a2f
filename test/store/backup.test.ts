/**
 * Backup and restore (src/store/backup/): SQLite round trips with versions, regions and sealed
 * values; refusals (non-empty target, different keys, unknown or damaged backups) that leave the
 * target as it was; data-plane files; SQLite -> PostgreSQL -> SQLite with replicas reloading.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { BACKUP_LAYOUT } from '../../src/cli/backup-command.ts';
import { lazyKeyFileCipher } from '../../src/crypto/value-cipher.ts';
import { type BackupContext, createBackup } from '../../src/store/backup/backup.ts';
import type { StoreRef } from '../../src/store/backup/manifest.ts';
import { restoreBackup } from '../../src/store/backup/restore.ts';
import { migrations } from '../../src/store/migrations.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { regionKind } from '../../src/store/region-view.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { type ChangeBatch, Kind, type Store } from '../../src/store/store.ts';
import { sharedPostgres } from '../support/postgres.ts';

const WEST_TASK = regionKind(Kind.Task, 'eu-west-1', 'us-east-1');
const KINDS = [Kind.Cluster, Kind.Task, Kind.Service, Kind.SecretsManagerSecret, WEST_TASK];
const SECRET_CONTEXT = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf/v1';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-backup-'));
  roots.push(dir);
  return dir;
}

/** A data directory whose store holds records in several kinds and two regions, some rewritten, one removed, one sealed. */
async function seededDataDir(): Promise<string> {
  const dataDir = tempDir();
  const store = SqliteStore.open(join(dataDir, 'longshore.db'));
  const sealed = lazyKeyFileCipher(join(dataDir, 'keys', 'secrets.key'))().seal('hunter2', SECRET_CONTEXT);
  writeFileSync(join(dataDir, 'credentials.json'), '{"accessKeyId":"AKLSTEST","secretAccessKey":"s"}\n');
  await store.transact(async (tx) => {
    await tx.put(Kind.Cluster, 'default', { name: 'default', status: 'ACTIVE' });
    await tx.put(Kind.Task, 'default/t1', { lastStatus: 'PENDING', note: 'quote " nul \u0000 é' });
    await tx.put(Kind.Task, 'default/gone', { lastStatus: 'STOPPED' });
    await tx.put(Kind.Service, 'default/web', { desiredCount: 2 });
    await tx.put(Kind.SecretsManagerSecret, 'db', { value: sealed });
    await tx.put(WEST_TASK, 'default/t1', { region: 'eu-west-1' });
  });
  for (const status of ['RUNNING', 'STOPPING'])
    await store.transact((tx) => tx.put(Kind.Task, 'default/t1', { lastStatus: status }));
  await store.transact(async (tx) => {
    await tx.remove(Kind.Task, 'default/gone');
    await tx.put(WEST_TASK, 'default/t1', { region: 'eu-west-1', v: 2 });
  });
  await store.close();
  return dataDir;
}

/** Every record of KINDS, by kind and key, with versions. */
async function contents(store: Store): Promise<Record<string, { version: number; value: unknown }>> {
  const all: Record<string, { version: number; value: unknown }> = {};
  for (const kind of KINDS)
    for (const r of await store.list(kind)) all[`${kind} ${r.key}`] = { version: r.version, value: r.value };
  return all;
}

async function sqliteContents(dataDir: string) {
  const store = SqliteStore.open(join(dataDir, 'longshore.db'));
  try {
    return await contents(store);
  } finally {
    await store.close();
  }
}

/** The data directory and store a command works on (SQLite in `dataDir` unless told), collecting what it says. */
function context(dataDir: string, store: StoreRef | undefined, said: string[]): BackupContext {
  return {
    dataDir,
    store: store ?? { type: 'sqlite', path: join(dataDir, 'longshore.db') },
    layout: BACKUP_LAYOUT,
    say: (line) => said.push(line),
    now: Date.now,
  };
}

async function backup(dataDir: string, options: { out?: string; store?: StoreRef; withData?: boolean } = {}) {
  const out = options.out ?? join(tempDir(), 'backup');
  const said: string[] = [];
  const summary = await createBackup({
    ...context(dataDir, options.store, said),
    out,
    version: '0.0.0-test',
    keys: true,
    withData: options.withData ?? false,
  });
  return { out, said, summary };
}

async function restore(from: string, dataDir: string, options: { store?: StoreRef; force?: boolean } = {}) {
  const said: string[] = [];
  const summary = await restoreBackup({
    ...context(dataDir, options.store, said),
    from,
    force: options.force ?? false,
  });
  return { said, summary };
}

describe('backup and restore, SQLite', () => {
  it('round-trips every record (regions, versions) and the keys: a value sealed before opens after', async () => {
    const source = await seededDataDir();
    const expected = await sqliteContents(source);
    assert.equal(expected['task default/t1'].version, 3);
    assert.equal(expected[`${WEST_TASK} default/t1`].version, 2);
    assert.equal(expected['task default/gone'], undefined);

    const { out, said, summary } = await backup(source);
    assert.equal(summary.manifest.records, 5);
    assert.equal(summary.manifest.source.type, 'sqlite');
    assert.equal(summary.manifest.schemaVersion, migrations.length);
    assert.deepEqual(summary.manifest.keys, {
      'secrets.key': 'keys/secrets.key',
      'credentials.json': 'credentials.json',
    });
    assert.equal(statSync(join(out, 'keys', 'secrets.key')).mode & 0o777, 0o600);
    assert.ok(said.some((line) => line.startsWith('warning:') && line.includes('keys')));
    assert.match(said.at(-1)!, /^backup: 5 records, [\d,]+ bytes in [\d.]+ s/);
    const lines = readFileSync(join(out, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.kind === WEST_TASK && l.key === 'default/t1' && l.version === 2));

    const target = tempDir();
    await restore(out, target);
    assert.deepEqual(await sqliteContents(target), expected);
    const sealed = (expected['secretsmanager-secret db'].value as { value: string }).value;
    const cipher = lazyKeyFileCipher(join(target, 'keys', 'secrets.key'))();
    assert.equal(cipher.open(sealed, SECRET_CONTEXT).toString(), 'hunter2');
    assert.equal(
      readFileSync(join(target, 'credentials.json'), 'utf8'),
      readFileSync(join(source, 'credentials.json'), 'utf8'),
    );
    assert.equal(statSync(join(target, 'keys', 'secrets.key')).mode & 0o777, 0o600);

    // Versions carry on from the restored ones.
    const store = SqliteStore.open(join(target, 'longshore.db'));
    assert.equal(
      await store.transact((tx) => tx.put(Kind.Task, 'default/t1', { lastStatus: 'STOPPED' }, 3)),
      4,
    );
    await store.close();
  });

  it('reads one snapshot while another connection holds an uncommitted write (a running server)', async () => {
    const source = await seededDataDir();
    const server = SqliteStore.open(join(source, 'longshore.db'));
    const writer = new DatabaseSync(join(source, 'longshore.db'));
    writer.exec('BEGIN IMMEDIATE');
    writer.exec(`INSERT INTO records VALUES ('cluster', 'uncommitted', 1, '{}')`);
    try {
      const { summary } = await backup(source);
      assert.equal(summary.manifest.records, 5);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
      await server.close();
    }
  });

  it('refuses a target with records, leaving it unchanged; --force replaces them', async () => {
    const { out } = await backup(await seededDataDir());
    const target = tempDir();
    const store = SqliteStore.open(join(target, 'longshore.db'));
    await store.transact((tx) => tx.put(Kind.Cluster, 'other', { name: 'other' }));
    await store.close();
    await assert.rejects(restore(out, target), /already holds 1 records.*new --data-dir, or add --force/);
    assert.deepEqual(Object.keys(await sqliteContents(target)), ['cluster other']);
    assert.equal(existsSync(join(target, 'keys')), false);

    const { summary } = await restore(out, target, { force: true });
    assert.equal(summary.replaced, 1);
    const after = await sqliteContents(target);
    assert.equal(after['cluster other'], undefined);
    assert.equal(after['task default/t1'].version, 3);
  });

  it('refuses different key files unless forced', async () => {
    const { out } = await backup(await seededDataDir());
    const target = tempDir();
    mkdirSync(join(target, 'keys'));
    writeFileSync(join(target, 'keys', 'secrets.key'), 'another key\n');
    await assert.rejects(restore(out, target), /secrets\.key already exists and differs.*--force/);
    assert.deepEqual(await sqliteContents(target), {});
    await restore(out, target, { force: true });
    assert.deepEqual(
      readFileSync(join(target, 'keys', 'secrets.key')),
      readFileSync(join(out, 'keys', 'secrets.key')),
    );
  });

  it('refuses a non-empty --out', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'something'), 'x');
    await assert.rejects(backup(await seededDataDir(), { out }), /is not empty/);
  });

  it('refuses missing, unknown, newer-schema and damaged backups, restoring nothing', async () => {
    const { out } = await backup(await seededDataDir());
    const manifestPath = join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const target = tempDir();
    const attempt = async (write: () => void, expected: RegExp) => {
      write();
      await assert.rejects(restore(out, target), expected);
      assert.deepEqual(await sqliteContents(target), {});
    };
    await attempt(() => writeFileSync(manifestPath, '{not json'), /is not valid JSON/);
    await attempt(() => rmSync(manifestPath), /is missing.*not a Longshore backup/);
    await attempt(
      () => writeFileSync(manifestPath, JSON.stringify({ ...manifest, format: 'tar' })),
      /format/,
    );
    await attempt(
      () => writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 2 })),
      /format version 2 is not 1/,
    );
    await attempt(
      () =>
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, schemaVersion: migrations.length + 1 })),
      /newer than this build's.*upgrade Longshore/,
    );
    await attempt(
      () =>
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, keys: { 'secrets.key': '../../etc/x' } })),
      /key file secrets\.key/,
    );
    // A record altered after the backup: detected after the last line, before the commit.
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const records = join(out, 'records.jsonl');
    const text = readFileSync(records, 'utf8');
    await attempt(
      () => writeFileSync(records, text.replace('"desiredCount":2', '"desiredCount":3')),
      /damaged/,
    );
    await attempt(() => writeFileSync(records, `${text}{"kind":"task"}\n`), /line 6 is not a record/);
    assert.equal(existsSync(join(target, 'keys')), false);
  });

  it('copies data-plane files with --with-data and restores them', async () => {
    const source = await seededDataDir();
    mkdirSync(join(source, 'registry', 'blobs'), { recursive: true });
    writeFileSync(join(source, 'registry', 'blobs', 'sha256-abc'), 'layer');
    mkdirSync(join(source, 'logs'));
    const events = new DatabaseSync(join(source, 'logs', 'events.db'));
    events.exec("PRAGMA journal_mode = WAL; CREATE TABLE e (m TEXT); INSERT INTO e VALUES ('hello')");
    const { out, summary } = await backup(source, { withData: true });
    events.close();
    assert.deepEqual(
      summary.manifest.data.map((d) => d.path),
      ['registry', 'logs/events.db'],
    );
    const target = tempDir();
    await restore(out, target);
    assert.equal(readFileSync(join(target, 'registry', 'blobs', 'sha256-abc'), 'utf8'), 'layer');
    const restored = new DatabaseSync(join(target, 'logs', 'events.db'));
    assert.deepEqual(
      restored
        .prepare('SELECT m FROM e')
        .all()
        .map((r) => r.m),
      ['hello'],
    );
    restored.close();
    // Data already there is refused like records, and replaced with --force.
    const store = SqliteStore.open(join(target, 'longshore.db'));
    await store.close();
    rmSync(join(target, 'longshore.db'));
    await assert.rejects(restore(out, target), /registry.*already hold data.*--force/);
    await restore(out, target, { force: true });
  });
});

const availability = await sharedPostgres();

describe('backup and restore across SQLite and PostgreSQL', () => {
  if ('skip' in availability) {
    it('SQLite -> PostgreSQL -> SQLite', { skip: availability.skip }, () => {});
    return;
  }
  const server = availability.server;
  after(() => server.close());

  it('SQLite -> PostgreSQL -> SQLite keeps every record and version; replicas reload', async () => {
    const source = await seededDataDir();
    const expected = await sqliteContents(source);
    const { out } = await backup(source);

    const url = await server.createDatabase();
    const pgRef: StoreRef = { type: 'postgres', url };
    // A replica already running on the (empty) database, and one writing something to refuse.
    const replica = await PostgresStore.open(url, { pollIntervalMs: 50 });
    const batches: ChangeBatch[] = [];
    replica.watch((b) => batches.push(b));
    await replica.transact((tx) => tx.put(Kind.Cluster, 'scratch', {}));
    const clusterDataDir = tempDir();
    await assert.rejects(
      restore(out, clusterDataDir, { store: pgRef }),
      /PostgreSQL store .* already holds 1 records/,
    );
    const { summary } = await restore(out, clusterDataDir, { store: pgRef, force: true });
    assert.equal(summary.replaced, 1);

    await replica.sync();
    assert.deepEqual(await contents(replica), expected);
    assert.ok(batches.some((b) => b.gap));
    const fresh = await PostgresStore.open(url);
    assert.deepEqual(await contents(fresh), expected);
    // Commits carry on: versions from the restored ones, revisions past the restore's.
    const before = fresh.revision();
    assert.equal(
      await fresh.transact((tx) => tx.put(Kind.Task, 'default/t1', { lastStatus: 'STOPPED' }, 3)),
      4,
    );
    assert.equal(fresh.revision(), before + 1);
    await replica.sync();
    assert.equal((await replica.get(Kind.Task, 'default/t1'))?.version, 4);

    const back = await backup(clusterDataDir, { store: pgRef });
    assert.equal(back.summary.manifest.source.type, 'postgres');
    assert.equal(back.summary.manifest.revision, fresh.revision());
    assert.equal(back.summary.manifest.records, 5);
    await fresh.close();
    await replica.close();

    const roundTrip = tempDir();
    await restore(back.out, roundTrip);
    assert.deepEqual(await sqliteContents(roundTrip), {
      ...expected,
      'task default/t1': { version: 4, value: { lastStatus: 'STOPPED' } },
    });
    // The keys came along both ways: the sealed value still opens.
    const sealed = (expected['secretsmanager-secret db'].value as { value: string }).value;
    const cipher = lazyKeyFileCipher(join(roundTrip, 'keys', 'secrets.key'))();
    assert.equal(cipher.open(sealed, SECRET_CONTEXT).toString(), 'hunter2');
    await server.dropDatabase(url);
  });

  it('restores into a new database (migrated by the restore) that a replica then opens', async () => {
    const { out } = await backup(await seededDataDir());
    const url = await server.createDatabase();
    await restore(out, tempDir(), { store: { type: 'postgres', url } });
    const store = await PostgresStore.open(url);
    assert.equal((await store.get(Kind.Task, 'default/t1'))?.version, 3);
    assert.equal((await store.list(WEST_TASK)).length, 1);
    await store.close();
    await server.dropDatabase(url);
  });
});
