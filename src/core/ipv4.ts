/**
 * IPv4 addresses and ranges as numbers: parsing, formatting, size, nesting and overlap. Pure; shared
 * by EC2's VPCs and subnets (ec2/model) and the agent's awsvpc bridges (agent/network).
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
