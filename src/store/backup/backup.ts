/**
 * `longshore backup`: the records of one store in one consistent snapshot, the key files, and
 * (on request) the data-plane files, into a new directory; the manifest last.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { copyDataOut } from './data-files.ts';
import { copyKeysOut } from './key-files.ts';
import {
  type BackupManifest,
  DATA_DIR,
  type DataPath,
  FORMAT,
  FORMAT_VERSION,
  KEYS_DIR,
  RECORDS_FILE,
  type StoreRef,
  writeManifest,
} from './manifest.ts';
import { RecordWriter } from './records-file.ts';
import { describeStore, dumpRecords, withoutPassword } from './store-records.ts';

/** What a data directory holds besides the store (given by the CLI, which knows the layout). */
export interface BackupLayout {
  /** Key files, as paths in the data directory; one ending in `/` is every file in that directory. */
  keys: readonly string[];
  data: readonly DataPath[];
}

/** What both commands are told: which data directory and store, and how to speak and tell time. */
export interface BackupContext {
  dataDir: string;
  store: StoreRef;
  layout: BackupLayout;
  say: (line: string) => void;
  /** Epoch milliseconds (the CLI's clock). */
  now: () => number;
}

export interface BackupOptions extends BackupContext {
  out: string;
  /** This build's version, for the manifest. */
  version: string;
  /** Copy the key files (`--no-keys` turns it off). */
  keys: boolean;
  /** Copy the data-plane files too (`--with-data`). */
  withData: boolean;
}

export interface BackupSummary {
  manifest: BackupManifest;
  /** Every byte the backup directory holds. */
  bytes: number;
  seconds: number;
}

export async function createBackup(o: BackupOptions): Promise<BackupSummary> {
  const started = o.now();
  prepareOut(o.out);
  o.say(`backup: reading ${describeStore(o.store)}`);
  const writer = new RecordWriter(join(o.out, RECORDS_FILE), (n) => o.say(`backup: ${count(n)} records`));
  const dumped = await dumpRecords(o.store, writer).catch((error: unknown) => {
    writer.close();
    throw error;
  });
  const written = writer.close();
  const keys = o.keys ? copyKeysOut(o.dataDir, o.layout.keys, join(o.out, KEYS_DIR)) : {};
  const data = o.withData ? copyDataOut(o.dataDir, o.layout.data, join(o.out, DATA_DIR)) : [];
  const manifest: BackupManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    longshoreVersion: o.version,
    createdAt: new Date(started).toISOString(),
    source: o.store.type === 'sqlite' ? o.store : { type: 'postgres', url: withoutPassword(o.store.url) },
    ...dumped,
    records: written.records,
    recordsBytes: written.bytes,
    recordsSha256: written.sha256,
    keys,
    data,
  };
  writeManifest(o.out, manifest);
  if (Object.keys(keys).length > 0)
    o.say(
      `warning: ${join(o.out, KEYS_DIR)} holds the keys that seal secrets, SecureString parameters and IAM credentials (${Object.keys(keys).join(', ')} from ${o.dataDir}): keep this backup as you keep those keys`,
    );
  else if (o.keys)
    o.say(
      `warning: ${o.dataDir} has no key files: if this store holds sealed values, back up with the --data-dir whose keys sealed them`,
    );
  const bytes = sizeOf(o.out);
  const seconds = (o.now() - started) / 1000;
  o.say(
    `backup: ${count(written.records)} records, ${count(bytes)} bytes in ${seconds.toFixed(1)} s -> ${o.out}`,
  );
  return { manifest, bytes, seconds };
}

/** The backup directory: new, or empty; private (it may hold keys). */
function prepareOut(out: string): void {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} is not empty: give --out a new or empty directory`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
