/**
 * SHA-256 and HMAC-SHA256 from node:crypto in the shape the AWS signing library takes as its
 * `sha256` option (smithy's `Checksum`), as the Node.js SDK itself does (@smithy/hash-node). The
 * pure-JavaScript @aws-crypto/sha256-js costs ~10x more per request on the API's hot path.
 * Hashing is deterministic computation (no I/O, time or randomness): `core` stays pure with it
 * (test/architecture/dependency-rules.json lists it among core's exceptions for its node:crypto import).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type Data = string | ArrayBuffer | ArrayBufferView;

export class NodeSha256 {
  readonly #secret: Buffer | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: Data) {
    this.#secret = secret === undefined ? undefined : toBuffer(secret);
    this.#hash = this.#fresh();
  }

  update(data: Data): void {
    this.#hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

function toBuffer(data: Data): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** Lower-case hex SHA-256 of a body. */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}
