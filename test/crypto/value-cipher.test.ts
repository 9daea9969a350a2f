/** The value cipher: round trips, binding to the record's identity, tampering, and the key file (made once, 0600). */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { cipherFromKey, lazyKeyFileCipher, loadOrCreateKey } from '../../src/crypto/value-cipher.ts';

const dir = mkdtempSync(join(tmpdir(), 'longshore-cipher-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('seals and opens strings and bytes, bound to their context', () => {
  const c = cipherFromKey(Buffer.alloc(32, 7));
  const sealed = c.seal('s3cret', 'ctx-a');
  assert.ok(sealed.startsWith('v1:'));
  assert.ok(!sealed.includes('s3cret'));
  assert.notEqual(c.seal('s3cret', 'ctx-a'), sealed, 'a fresh IV each time');
  assert.equal(c.open(sealed, 'ctx-a').toString('utf8'), 's3cret');
  assert.deepEqual([...c.open(c.seal(new Uint8Array([0, 255]), 'b'), 'b')], [0, 255]);
  assert.throws(
    () => c.open(sealed, 'ctx-b'),
    (e: Error) => !e.message.includes('s3cret'),
  );
  const raw = Buffer.from(sealed.slice(3), 'base64');
  raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
  assert.throws(() => c.open(`v1:${raw.toString('base64')}`, 'ctx-a'));
  assert.throws(() => cipherFromKey(Buffer.alloc(32, 8)).open(sealed, 'ctx-a'));
});

it('makes the key file once, mode 0600, and reads it back', () => {
  const path = join(dir, 'keys', 'secrets.key');
  const a = loadOrCreateKey(path);
  assert.equal(a.length, 32);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'keys')).mode & 0o777, 0o700);
  assert.deepEqual(loadOrCreateKey(path), a);
  const sealed = lazyKeyFileCipher(path)().seal('x', 'c');
  assert.equal(lazyKeyFileCipher(path)().open(sealed, 'c').toString(), 'x');
  writeFileSync(join(dir, 'bad.key'), 'short');
  assert.throws(() => loadOrCreateKey(join(dir, 'bad.key')), /32-byte/);
  assert.ok(readFileSync(path, 'utf8').trim().length > 40);
});
