/** `longshore backup` and `longshore restore`: the control plane's records, keys and (on request) data-plane files to a directory and back. */
import { longshoreVersion } from './version.ts';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { BackupContext, BackupLayout } from '../store/backup/backup.ts';
import { CREDENTIALS_FILE } from './credentials.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { defaultDataDir } from './options.ts';

/** What a data directory holds besides the SQLite store (paths as control-plane.ts and credentials.ts make them). */
export const BACKUP_LAYOUT: BackupLayout = {
  /** keys/secrets.key (Secrets Manager, SSM SecureStrings), keys/iam.key (IAM credentials), the root key pair. */
  keys: ['keys/', CREDENTIALS_FILE],
  data: [
    { path: 'registry', type: 'dir' },
    { path: 's3', type: 'dir' },
    { path: 'logs/events.db', type: 'sqlite' },
    { path: 'metrics.db', type: 'sqlite' },
  ],
};

const BACKUP_USAGE = `usage: longshore backup --out DIR [--data-dir D] [--store postgres://...] [--no-keys] [--with-data]

Writes a consistent backup of the control plane's records into DIR (new or empty): manifest.json,
records.jsonl (one JSON line per record), and keys/: the key files that seal secrets, SecureString
parameters and IAM credentials, and the root credentials (mode 0600; --no-keys leaves them out).
Keep the backup as you keep those keys.

The records come from the SQLite store in --data-dir, or from the PostgreSQL database --store
names (also LONGSHORE_STORE), read in one transaction. A server may keep running meanwhile: SQLite
in WAL mode lets this read one snapshot while the server writes.

--with-data also copies the data-plane files: registry blobs, S3 objects, log events and metric
blocks (databases as one snapshot each; blob directories file by file, after the records).`;

const RESTORE_USAGE = `usage: longshore restore --from DIR [--data-dir D] [--store postgres://...] [--force]

Loads a backup (longshore backup) into an empty store, in one transaction: all of it or, on any
error, nothing. Versions are kept. The key files go into --data-dir (a different existing one is
refused), and the data-plane files too when the backup has them.

The store is the SQLite store in --data-dir, or the PostgreSQL database --store names (also
LONGSHORE_STORE): a backup of either kind restores into either (SQLite -> PostgreSQL moves an
installation to cluster mode). Restore takes the data directory's lock: stop the server first.
Running PostgreSQL replicas reload everything once it commits, but stop them too.

--force deletes the target's records first, and replaces differing key files and existing data.`;

/** Flags both commands take. */
const COMMON_FLAGS = {
  'data-dir': { type: 'string' },
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export async function backupCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...COMMON_FLAGS,
      out: { type: 'string' },
      'no-keys': { type: 'boolean' },
      'with-data': { type: 'boolean' },
    },
  });
  if (values.help || !values.out) return usage(BACKUP_USAGE, values.help);
  const { createBackup } = await import('../store/backup/backup.ts');
  await createBackup({
    ...contextOf(values),
    out: values.out,
    version: longshoreVersion(),
    keys: !values['no-keys'],
    withData: values['with-data'] === true,
  });
}

export async function restoreCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMMON_FLAGS, from: { type: 'string' }, force: { type: 'boolean' } },
  });
  if (values.help || !values.from) return usage(RESTORE_USAGE, values.help);
  const context = contextOf(values);
  const { restoreBackup } = await import('../store/backup/restore.ts');
  const lock = lockDataDir(context.dataDir);
  try {
    await restoreBackup({ ...context, from: values.from, force: values.force === true });
  } finally {
    lock.release();
  }
}

/** The data directory and store the flags (or LONGSHORE_DATA_DIR, LONGSHORE_STORE) name; output on stdout; the system clock. */
function contextOf(values: { 'data-dir'?: string; store?: string }): BackupContext {
  const env = process.env;
  const dataDir = values['data-dir'] ?? env.LONGSHORE_DATA_DIR ?? defaultDataDir(env);
  const url = values.store ?? (env.LONGSHORE_STORE || undefined);
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
    throw new Error('--store must be a postgres:// URL (without it: the SQLite store in --data-dir)');
  return {
    dataDir,
    store:
      url === undefined ? { type: 'sqlite', path: join(dataDir, 'longshore.db') } : { type: 'postgres', url },
    layout: BACKUP_LAYOUT,
    say: (line) => console.log(line),
    now: Date.now,
  };
}

function usage(text: string, asked: boolean | undefined): void {
  console.log(text);
  if (!asked) process.exitCode = 2;
}
