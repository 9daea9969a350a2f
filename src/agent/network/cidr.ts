/** IPv4 ranges as numbers: parsing, overlap and the addresses a VPC reserves. Pure. */

export interface Ipv4Range {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** The range as written after normalising (`10.201.0.0/16`). */
  text: string;
}

const OCTET = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(address: string): number | undefined {
  const m = OCTET.exec(address.trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `10.201.3.4/16` -> base 10.201.0.0, prefix 16; a bare address is a /32. Undefined if malformed. */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const [address, bits = '32'] = cidr.trim().split('/');
  const ip = parseIpv4(address);
  const prefix = Number(bits);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const base = (ip & maskOf(prefix)) >>> 0;
  return { base, prefix, text: `${formatIpv4(base)}/${prefix}` };
}

/** Two ranges overlap when the shorter prefix's mask maps both to the same network. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

export function contains(range: Ipv4Range, address: string): boolean {
  const ip = parseIpv4(address);
  return ip !== undefined && (ip & maskOf(range.prefix)) >>> 0 === range.base;
}

/**
 * The VPC router's address: the range's first address plus one (`10.201.0.0/16` -> `10.201.0.1`).
 * AWS reserves it in the range's first subnet, so no task is ever given it.
 */
export function routerAddress(range: Ipv4Range): string {
  return formatIpv4(range.base + 1);
}
