/** The root access key pair: from LONGSHORE_ACCESS_KEY_ID/SECRET, else generated once per data directory. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  source: 'environment' | 'generated' | 'data-dir';
}

/** The generated key pair's file in the data directory (`longshore backup` carries it with the keys). */
export const CREDENTIALS_FILE = 'credentials.json';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function loadCredentials(dataDir: string, env: NodeJS.ProcessEnv): Credentials {
  const id = env.LONGSHORE_ACCESS_KEY_ID;
  const secret = env.LONGSHORE_SECRET_ACCESS_KEY;
  if (id && secret) return { accessKeyId: id, secretAccessKey: secret, source: 'environment' };
  if (id || secret) {
    throw new Error('Set both LONGSHORE_ACCESS_KEY_ID and LONGSHORE_SECRET_ACCESS_KEY, or neither.');
  }
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    return { ...saved, source: 'data-dir' };
  }
  const generated = {
    accessKeyId: `AKLS${[...randomBytes(16)].map((b) => ALPHANUM[b % 32]).join('')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  return { ...generated, source: 'generated' };
}
