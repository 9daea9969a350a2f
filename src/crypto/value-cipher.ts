/**
 * Encryption at rest for the values Secrets Manager and SSM Parameter Store keep (secret values,
 * SecureString parameters): AES-256-GCM with a random 96-bit IV per value and the record's identity
 * as additional authenticated data, so a sealed value copied into another record does not open.
 *
 * The key lives apart from the database, in a file (`<dataDir>/keys/secrets.key`, mode 0600, in a
 * 0700 directory) made on first use: a copy of the database alone reveals no value. Sealed text is
 * `v1:` + base64(iv | tag | ciphertext). Nothing here logs or puts a value in an error message.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ValueCipher {
  /** Encrypts `plain`, bound to `context` (e.g. the record's ARN and version). */
  seal(plain: string | Uint8Array, context: string): string;
  /** Decrypts what `seal` returned for the same `context`; throws (without the value) when it does not open. */
  open(sealed: string, context: string): Buffer;
}

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A cipher over a 32-byte key. */
export function cipherFromKey(key: Uint8Array): ValueCipher {
  if (key.length !== KEY_BYTES) throw new Error(`the value key must be ${KEY_BYTES} bytes`);
  const k = Buffer.from(key);
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : Buffer.from(plain);
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed, context) {
      if (!sealed.startsWith(VERSION)) throw new Error('not a sealed value');
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
      const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new Error('the sealed value does not open with this key');
      }
    },
  };
}

/**
 * The key in `path`: read, or made (32 random bytes, base64) when the file does not exist yet.
 * Two processes racing to make it both end up with the one that was written first (`wx`).
 */
export function loadOrCreateKey(path: string): Buffer {
  try {
    return decodeKey(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(readFileSync(path, 'utf8'), path);
}

function decodeKey(text: string, path: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${path} does not hold a ${KEY_BYTES}-byte base64 key`);
  return key;
}

/** The cipher of the key file at `path`, the file read (or made) on the first call only. */
export function lazyKeyFileCipher(path: string): () => ValueCipher {
  let cipher: ValueCipher | undefined;
  return () => {
    cipher ??= cipherFromKey(loadOrCreateKey(path));
    return cipher;
  };
}
