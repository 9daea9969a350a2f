/**
 * The key files a backup carries (the keys that seal secrets, SecureString parameters and IAM
 * credentials, and the root credentials): copied flat into the backup's `keys/` with mode 0600,
 * the manifest mapping each name back to its path in the data directory. Restored only where the
 * data directory has no such file or the same one; a different one is refused unless forced.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Copies the key files `sources` names (paths in `dataDir`; one ending in `/` is every file in that directory) into `keysDir`. */
export function copyKeysOut(
  dataDir: string,
  sources: readonly string[],
  keysDir: string,
): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const source of sources) {
    const files = source.endsWith('/') ? filesIn(dataDir, source) : [source];
    for (const file of files) {
      if (!existsSync(join(dataDir, file))) continue;
      const name = basename(file);
      if (keys[name]) throw new Error(`two key files are named ${name}: ${keys[name]} and ${file}`);
      mkdirSync(keysDir, { recursive: true, mode: 0o700 });
      copyFileSync(join(dataDir, file), join(keysDir, name));
      chmodSync(join(keysDir, name), 0o600);
      keys[name] = file;
    }
  }
  return keys;
}

/** Refuses (naming them) key files in `dataDir` that differ from the backup's, unless `force`. */
export function checkKeysIn(
  keysDir: string,
  keys: Record<string, string>,
  dataDir: string,
  force: boolean,
): void {
  for (const name of Object.keys(keys))
    if (!existsSync(join(keysDir, name)))
      throw new Error(`${join(keysDir, name)} is missing: the backup is damaged; nothing was restored`);
  const different = Object.entries(keys)
    .filter(([name, to]) => {
      const target = join(dataDir, to);
      return existsSync(target) && !readFileSync(target).equals(readFileSync(join(keysDir, name)));
    })
    .map(([, to]) => join(dataDir, to));
  if (different.length > 0 && !force)
    throw new Error(
      `${different.join(', ')} already exist${different.length === 1 ? 's' : ''} and differ${different.length === 1 ? 's' : ''} from the backup's: restore into a new --data-dir, or add --force to replace them (what they sealed will no longer open)`,
    );
}

/** Writes the backup's key files into `dataDir` (each whole: a temporary file renamed into place). */
export function copyKeysIn(keysDir: string, keys: Record<string, string>, dataDir: string): void {
  for (const [name, to] of Object.entries(keys)) {
    const target = join(dataDir, to);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    copyFileSync(join(keysDir, name), `${target}.restore`);
    chmodSync(`${target}.restore`, 0o600);
    renameSync(`${target}.restore`, target);
  }
}

function filesIn(dataDir: string, dir: string): string[] {
  if (!existsSync(join(dataDir, dir))) return [];
  return readdirSync(join(dataDir, dir), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name))
    .sort();
}
