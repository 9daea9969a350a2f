/**
 * A backup's manifest (`manifest.json`): what the backup holds, where it came from, and what a
 * build must know to load it. Written last, so a backup cut short has none and is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { migrations } from '../migrations.ts';

export const MANIFEST_FILE = 'manifest.json';
export const RECORDS_FILE = 'records.jsonl';
/** Key files (mode 0600), by the name the manifest's `keys` gives them. */
export const KEYS_DIR = 'keys';
/** Data-plane files (`--with-data`), by their path relative to the data directory. */
export const DATA_DIR = 'data';

export const FORMAT = 'longshore-backup';
/** The one format this build writes and reads; a backup in another is refused. */
export const FORMAT_VERSION = 1;

/** Where records come from or go: the embedded store's database file, or a PostgreSQL URL. */
export type StoreRef = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** How a data-plane path is copied: a SQLite database in one read snapshot, or a directory of plain files. */
export interface DataPath {
  path: string;
  type: 'sqlite' | 'dir';
}

export interface BackupManifest {
  format: typeof FORMAT;
  formatVersion: number;
  longshoreVersion: string;
  createdAt: string;
  /** The store the records came from (a PostgreSQL URL without its password). */
  source: StoreRef;
  /** Migrations applied to the source's `records` table (`src/store/migrations.ts`). */
  schemaVersion: number;
  /** PostgreSQL-only migrations (`src/store/postgres/schema.ts`), when the source was PostgreSQL. */
  postgresSchemaVersion?: number;
  /** PostgreSQL's head revision in the snapshot read; null for SQLite (it numbers commits per process, from 0). */
  revision: number | null;
  records: number;
  recordsBytes: number;
  recordsSha256: string;
  /** Key files: name under `keys/` -> path relative to the data directory. Empty with `--no-keys`. */
  keys: Record<string, string>;
  /** Data-plane paths copied under `data/` (`--with-data`). */
  data: DataPath[];
}

export function writeManifest(dir: string, manifest: BackupManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** The manifest of the backup in `dir`, checked: a format or schema this build does not know is refused. */
export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST_FILE);
  let m: Partial<BackupManifest>;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Partial<BackupManifest>;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'is not valid JSON';
    throw new Error(`${path} ${why}: ${dir} is not a Longshore backup, or one cut short; use another --from`);
  }
  const bad = (what: string) => new Error(`${path}: ${what}; this is not a backup this build can restore`);
  if (m === null || typeof m !== 'object' || m.format !== FORMAT) throw bad(`format is not '${FORMAT}'`);
  if (m.formatVersion !== FORMAT_VERSION)
    throw bad(
      `format version ${String(m.formatVersion)} is not ${FORMAT_VERSION} (made by Longshore ${String(m.longshoreVersion)}); restore it with that version`,
    );
  if (!isCount(m.schemaVersion) || m.schemaVersion < 1) throw bad('schemaVersion is missing');
  if (m.schemaVersion > migrations.length)
    throw bad(
      `its schema version ${m.schemaVersion} is newer than this build's ${migrations.length} (made by Longshore ${String(m.longshoreVersion)}); upgrade Longshore first`,
    );
  if (!isCount(m.records) || typeof m.recordsSha256 !== 'string')
    throw bad('records or recordsSha256 is missing');
  const keys = m.keys ?? {};
  if (typeof keys !== 'object' || Array.isArray(keys)) throw bad('keys is not an object');
  for (const [name, to] of Object.entries(keys))
    if (!isPlainName(name) || typeof to !== 'string' || !isInside(to)) throw bad(`key file ${name} -> ${to}`);
  const data = m.data ?? [];
  if (!Array.isArray(data)) throw bad('data is not a list');
  for (const d of data) if (!isInside(d?.path)) throw bad(`data path ${String(d?.path)}`);
  return { ...(m as BackupManifest), keys, data };
}

function isCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name);
}

/** A relative path that stays inside the directory it is joined to. */
function isInside(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || isAbsolute(path)) return false;
  const n = normalize(path);
  return n !== '..' && !n.startsWith('../') && n !== '.';
}
