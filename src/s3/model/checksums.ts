/**
 * The checksums S3 takes and returns (`x-amz-checksum-crc32|crc32c|crc64nvme|sha1|sha256`), as
 * incremental hashers giving base64 of the big-endian value. CRC32 is zlib's; CRC32C
 * (Castagnoli, reflected 0x82F63B78) and CRC64/NVME (reflected 0x9A6C9329AC4BC9B5, the 64-bit
 * value kept as two 32-bit halves) are table-driven here.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from './records.ts';

export interface Hasher {
  update(data: Uint8Array): void;
  /** Base64 of the digest. */
  digest(): string;
}

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

/** `x-amz-checksum-crc32` ... for an algorithm. */
export const checksumHeader = (algorithm: ChecksumAlgorithm): string =>
  `x-amz-checksum-${algorithm.toLowerCase()}`;

/** The algorithm an `x-amz-checksum-*` header or `x-amz-sdk-checksum-algorithm` value names. */
export function algorithmOf(name: string): ChecksumAlgorithm | undefined {
  const upper = name.replace(/^x-amz-checksum-/i, '').toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === upper);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC64/NVME's table as low and high 32-bit halves. */
const CRC64_TABLE = (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x9a6c9329;
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  return { lo, hi };
})();

function beBytes(...words: number[]): string {
  const out = Buffer.alloc(words.length * 4);
  for (const [i, w] of words.entries()) out.writeUInt32BE(w >>> 0, i * 4);
  return out.toString('base64');
}

class Crc32 implements Hasher {
  #value = 0;
  update(data: Uint8Array): void {
    this.#value = crc32(data, this.#value);
  }
  digest(): string {
    return beBytes(this.#value);
  }
}

class Crc32c implements Hasher {
  #crc = 0xffffffff;
  update(data: Uint8Array): void {
    let c = this.#crc;
    for (let i = 0; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    this.#crc = c >>> 0;
  }
  digest(): string {
    return beBytes(~this.#crc);
  }
}

class Crc64Nvme implements Hasher {
  #lo = 0xffffffff;
  #hi = 0xffffffff;
  update(data: Uint8Array): void {
    let lo = this.#lo;
    let hi = this.#hi;
    const { lo: tlo, hi: thi } = CRC64_TABLE;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ tlo[idx]) >>> 0;
      hi = ((hi >>> 8) ^ thi[idx]) >>> 0;
    }
    this.#lo = lo;
    this.#hi = hi;
  }
  digest(): string {
    return beBytes(~this.#hi, ~this.#lo);
  }
}

class NodeHash implements Hasher {
  readonly #hash;
  constructor(algorithm: string) {
    this.#hash = createHash(algorithm);
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  digest(): string {
    return this.#hash.digest('base64');
  }
}

export function newHasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32();
    case 'CRC32C':
      return new Crc32c();
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return new NodeHash('sha1');
    case 'SHA256':
      return new NodeHash('sha256');
    case 'MD5':
      return new NodeHash('md5');
  }
}

/** A checksum value of `algorithm` as it must look (base64 of 4, 8, 20 or 32 bytes). */
export function validChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 }[algorithm];
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes;
}
