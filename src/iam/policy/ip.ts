/** IPv4 and IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress (pure, no node:net). */

/** An address as bytes (4 for IPv4, 16 for IPv6), or undefined when `text` is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text;
  let v4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - left.length - right.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (v4) out.set(v4, 12);
  return out;
}

/** A CIDR block (`203.0.113.0/24`, `2001:DB8:1234:5678::/64`, or one address) as a matcher. */
export function cidrMatcher(block: string): ((address: string) => boolean) | undefined {
  const slash = block.indexOf('/');
  const base = parseIp(slash < 0 ? block : block.slice(0, slash));
  if (!base) return undefined;
  const bits = slash < 0 ? base.length * 8 : Number(block.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > base.length * 8) return undefined;
  return (address) => {
    const ip = parseIp(address);
    if (!ip || ip.length !== base.length) return false;
    let left = bits;
    for (let i = 0; left > 0; i++, left -= 8) {
      const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
      if ((ip[i]! & mask) !== (base[i]! & mask)) return false;
    }
    return true;
  };
}
