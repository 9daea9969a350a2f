/**
 * `longshore restore`: a backup into an empty store of either kind, in one transaction, with its
 * key files and data-plane files written just before that transaction commits. Every refusal
 * (unknown format, newer schema, different keys, data present) comes before anything is written.
 */
import { join } from 'node:path';
import { type BackupContext, count } from './backup.ts';
import { checkDataIn, copyDataIn } from './data-files.ts';
import { checkKeysIn, copyKeysIn } from './key-files.ts';
import { type BackupManifest, DATA_DIR, KEYS_DIR, RECORDS_FILE, readManifest } from './manifest.ts';
import { readRecords } from './records-file.ts';
import { describeStore, loadRecords } from './store-records.ts';

export interface RestoreOptions extends BackupContext {
  from: string;
  /** Replace the target's records, differing key files and data instead of refusing. */
  force: boolean;
}

export interface RestoreSummary {
  manifest: BackupManifest;
  /** Records the target held before (deleted, with `force`). */
  replaced: number;
  seconds: number;
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreSummary> {
  const started = o.now();
  const manifest = readManifest(o.from);
  o.say(
    `restore: ${count(manifest.records)} records backed up from ${describeStore(manifest.source)} at ${manifest.createdAt} (Longshore ${manifest.longshoreVersion}) into ${describeStore(o.store)}`,
  );
  const keysDir = join(o.from, KEYS_DIR);
  checkKeysIn(keysDir, manifest.keys, o.dataDir, o.force);
  checkDataIn(manifest.data, o.layout.data, o.dataDir, o.force);
  if (Object.keys(manifest.keys).length === 0)
    o.say(
      `warning: the backup holds no key files (made with --no-keys): sealed secrets, SecureString parameters and IAM credentials open only if ${join(o.dataDir, 'keys')} holds the keys that sealed them`,
    );
  const records = readRecords(
    join(o.from, RECORDS_FILE),
    { records: manifest.records, sha256: manifest.recordsSha256 },
    (n) => o.say(`restore: ${count(n)} records`),
  );
  const { replaced } = await loadRecords(o.store, records, {
    force: o.force,
    beforeCommit: () => {
      copyKeysIn(keysDir, manifest.keys, o.dataDir);
      copyDataIn(join(o.from, DATA_DIR), manifest.data, o.dataDir);
    },
  });
  const seconds = (o.now() - started) / 1000;
  const what = [
    `${count(manifest.records)} records`,
    ...(replaced > 0 ? [`replacing ${count(replaced)}`] : []),
    ...(Object.keys(manifest.keys).length > 0 ? [`key files ${Object.keys(manifest.keys).join(', ')}`] : []),
    ...(manifest.data.length > 0 ? [`data ${manifest.data.map((d) => d.path).join(', ')}`] : []),
  ];
  o.say(`restore: ${what.join(', ')} in ${seconds.toFixed(1)} s`);
  return { manifest, replaced, seconds };
}
