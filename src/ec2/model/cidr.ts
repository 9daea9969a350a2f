/**
 * Address arithmetic for VPCs, subnets and security group rules: the generic IPv4 range math
 * (core/ipv4.ts) plus what a VPC adds (addresses by offset, the five reserved per subnet).
 */
import { type Cidr, formatIpv4, parseIpv4, sizeOf } from '../../core/ipv4.ts';

export {
  type Cidr,
  contains,
  formatCidr,
  formatIpv4,
  overlaps,
  parseCidr,
  parseIpv4,
  sizeOf,
} from '../../core/ipv4.ts';

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
