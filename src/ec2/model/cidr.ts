/**
 * IPv4 address and CIDR arithmetic for VPCs, subnets and security group rules. Pure: addresses are
 * unsigned 32-bit numbers, ranges are `{base, prefix}` with `base` aligned to the prefix.
 */

export interface Cidr {
  /** The range's first address. */
  base: number;
  /** Prefix length, 0..32. */
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `10.0.1.7` -> 0x0a000107; undefined when not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/**
 * Reads `a.b.c.d/n`. With `strict` the address must be the range's first one (`10.0.0.0/16`, as
 * VPCs and subnets require); without, host bits are dropped (`10.0.0.7/16` -> `10.0.0.0/16`).
 */
export function parseCidr(text: string, strict = true): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const address = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (address === undefined || prefix > 32) return undefined;
  const base = address - (address % sizeOf({ base: 0, prefix }));
  if (strict && base !== address) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

/** How many addresses the range holds: a /20 holds 4096. */
export function sizeOf(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** Whether `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + sizeOf(inner) <= outer.base + sizeOf(outer)
  );
}

/** Whether the ranges share an address (aligned ranges either nest or are disjoint). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/** The address `offset` places after the range's first: `addressAt(172.31.16.0/20, 5)` is 172.31.16.5. */
export function addressAt(cidr: Cidr, offset: number): string {
  return formatIpv4(cidr.base + offset);
}

/** The offset of `address` in the range, undefined when outside it. */
export function offsetOf(cidr: Cidr, address: string): number | undefined {
  const n = parseIpv4(address);
  if (n === undefined || n < cidr.base || n >= cidr.base + sizeOf(cidr)) return undefined;
  return n - cidr.base;
}

/**
 * A VPC reserves five addresses of every subnet: the network address, the router (+1), DNS (+2),
 * one for future use (+3), and the last address. In 172.31.16.0/20 the first usable one is
 * 172.31.16.4 and the last 172.31.31.254: 4096 - 5 = 4091 usable.
 */
export const RESERVED_AT_START = 4;
export const RESERVED_COUNT = 5;

/** Usable addresses of a subnet range (before any is allocated). */
export function usableCount(cidr: Cidr): number {
  return Math.max(0, sizeOf(cidr) - RESERVED_COUNT);
}

/**
 * The lowest usable offset not in `allocated` (ascending), or undefined when the range is full.
 * With allocated [4, 5, 7] the answer is 6.
 */
export function lowestFreeOffset(cidr: Cidr, allocated: readonly number[]): number | undefined {
  let candidate = RESERVED_AT_START;
  for (const offset of allocated) {
    if (offset < candidate) continue;
    if (offset > candidate) break;
    candidate++;
  }
  return candidate <= sizeOf(cidr) - 2 ? candidate : undefined;
}

/** `allocated` with `offset` inserted in order (no duplicates). */
export function withOffset(allocated: readonly number[], offset: number): number[] {
  if (allocated.includes(offset)) return [...allocated];
  return [...allocated, offset].sort((a, b) => a - b);
}
