/** The `cidr` matcher: IPv4 and IPv6 ranges, and whether an address string falls in one. Pure. */

export interface CompiledCidr {
  contains(address: string): boolean;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  let groups: string[];
  if (text.includes('::')) {
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (h.length + t.length > 7) return undefined;
    groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  } else groups = text.split(':');
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

/** Throws on anything but `a.b.c.d/n` (n 0..32) or an IPv6 prefix (n 0..128). */
export function compileCidr(text: string): CompiledCidr {
  const slash = text.indexOf('/');
  if (slash < 0) throw new Error('not a CIDR');
  const base = text.slice(0, slash);
  const bits = Number(text.slice(slash + 1));
  const v4 = parseV4(base);
  const v6 = v4 === undefined ? parseV6(base) : undefined;
  const width = v4 !== undefined ? 32 : 128;
  const start = v4 ?? v6;
  if (start === undefined || !/^\d{1,3}$/.test(text.slice(slash + 1)) || bits > width)
    throw new Error('not a CIDR');
  const shift = BigInt(width - bits);
  const prefix = start >> shift;
  return {
    contains(address: string): boolean {
      const n = width === 32 ? parseV4(address) : parseV6(address);
      return n !== undefined && n >> shift === prefix;
    },
  };
}
