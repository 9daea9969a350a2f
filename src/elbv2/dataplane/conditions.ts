/**
 * Rule conditions as ALB evaluates them, compiled once per config: all conditions of a rule must
 * match (AND), the values inside one condition are alternatives (OR).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { ConditionConfig } from './config.ts';

/** What a condition looks at, taken from the request once. */
export interface RequestFacts {
  /** The Host header (or :authority) without its port, as the client sent it. */
  host: string;
  /** The path only, no query string, not decoded (ALB matches the path as sent). */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The client's address as the socket sees it (not X-Forwarded-For), IPv4-mapped IPv6 unwrapped. */
  sourceIp: string;
}

export type CompiledCondition = (facts: RequestFacts) => boolean;

/**
 * ALB's wildcards: `*` matches zero or more characters, `?` exactly one; everything else is
 * literal. `/img/*` matches `/img/a.png` and `/img/`; `*.example.com` does not match `example.com`.
 */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

function anyOf(patterns: string[], caseInsensitive: boolean): (value: string) => boolean {
  const res = patterns.map((p) => wildcardRegExp(p, caseInsensitive));
  return (value) => res.some((re) => re.test(value));
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `a=1&b&c=%20x` -> [['a','1'],['b',''],['c',' x']]; `+` is a space, bad escapes stay as sent. */
export function parseQuery(query: string): [string, string][] {
  if (query === '') return [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
}

/** A BlockList holding the condition's CIDRs (IPv4 and IPv6). */
function cidrList(values: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of values) {
    const [net, bits] = cidr.split('/');
    const type = isIPv6(net) ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!isIPv4(net) && !isIPv6(net)) continue;
    list.addSubnet(net, prefix, type);
  }
  return list;
}

export function compileCondition(condition: ConditionConfig): CompiledCondition {
  switch (condition.field) {
    case 'host-header': {
      const test = anyOf(condition.values, true);
      return (f) => test(f.host);
    }
    case 'path-pattern': {
      const test = anyOf(condition.values, false);
      return (f) => test(f.path);
    }
    case 'http-header': {
      const name = condition.headerName.toLowerCase();
      const test = anyOf(condition.values, true);
      return (f) => headerValues(f.headers[name]).some(test);
    }
    case 'http-request-method': {
      const methods = new Set(condition.values);
      return (f) => methods.has(f.method);
    }
    case 'query-string': {
      const pairs = condition.values.map((v) => ({
        key: v.key === undefined ? undefined : wildcardRegExp(v.key, true),
        value: wildcardRegExp(v.value, true),
      }));
      return (f) => {
        const query = parseQuery(f.query);
        return pairs.some((p) =>
          query.some(([k, v]) => (p.key === undefined || p.key.test(k)) && p.value.test(v)),
        );
      };
    }
    case 'source-ip': {
      const list = cidrList(condition.values);
      return (f) => {
        const ip = f.sourceIp;
        if (ip === '') return false;
        return list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4');
      };
    }
    default:
      return assertNever(condition);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** `::ffff:127.0.0.1` -> `127.0.0.1`. */
export function plainIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}
