/** IAM's wildcards: `*` matches any run of characters (none included), `?` exactly one. */

const SPECIAL = /[.+^${}()|[\]\\]/g;

/** A matcher for one pattern: `ignoreCase` for action names, exact case for resources and ARNs. */
export type Matcher = (value: string) => boolean;

/** Compiles `pattern` once; a pattern without wildcards is a plain comparison. */
export function wildcard(pattern: string, ignoreCase = false): Matcher {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  const source = pattern.replace(SPECIAL, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  const re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (value) => re.test(value);
}

/**
 * ARN matching as IAM does it for Resource and the Arn* operators: the six colon-separated parts
 * (`arn:partition:service:region:account:resource`) are compared one by one, each with wildcards,
 * so `*` in the region never swallows the account; the resource part may itself hold colons and
 * slashes. A pattern that is not a six-part ARN is matched as a whole string.
 */
export function arnMatcher(pattern: string): Matcher {
  if (pattern === '*') return () => true;
  const parts = splitArn(pattern);
  if (!parts) return wildcard(pattern);
  const matchers = parts.map((p) => wildcard(p));
  return (value) => {
    const got = splitArn(value);
    if (!got) return false;
    for (let i = 0; i < 6; i++) if (!matchers[i]!(got[i]!)) return false;
    return true;
  };
}

/** The six parts of an ARN (the last one keeps its colons), or undefined when it has fewer. */
export function splitArn(value: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = value.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(value.slice(start, colon));
    start = colon + 1;
  }
  parts.push(value.slice(start));
  return parts;
}
