/** The agent's view of a VPC range: core/ipv4.ts's math, plus the text form and the router address. Pure. */
import {
  type Cidr,
  formatCidr,
  formatIpv4,
  overlaps as rangesOverlap,
  parseCidr as parseRange,
  parseIpv4,
  sizeOf,
} from '../../core/ipv4.ts';

export { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';

export interface Ipv4Range extends Cidr {
  /** The range as written after normalising (`10.201.0.0/16`). */
  text: string;
}

/** `10.201.3.4/16` -> base 10.201.0.0, prefix 16; a bare address is a /32. Undefined if malformed. */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const text = cidr.trim();
  const range = parseRange(text.includes('/') ? text : `${text}/32`, false);
  return range && { ...range, text: formatCidr(range) };
}

/** Whether the ranges share an address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return rangesOverlap(a, b);
}

export function contains(range: Ipv4Range, address: string): boolean {
  const ip = parseIpv4(address);
  return ip !== undefined && ip >= range.base && ip < range.base + sizeOf(range);
}

/**
 * The VPC router's address: the range's first address plus one (`10.201.0.0/16` -> `10.201.0.1`).
 * AWS reserves it in the range's first subnet, so no task is ever given it.
 */
export function routerAddress(range: Ipv4Range): string {
  return formatIpv4(range.base + 1);
}
