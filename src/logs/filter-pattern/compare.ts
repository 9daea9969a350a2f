/** Comparing an event's value with a pattern's literal, as CloudWatch Logs does: numbers numerically, strings with `*` wildcards. */
import type { Literal, Operator } from './ast.ts';

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** `value` is what the event holds (a JSON value or a space-delimited field's text); undefined: absent. */
export function compare(value: unknown, op: Operator, literal: Literal): boolean {
  if (value === undefined) return false;
  if (literal.type === 'number') {
    const n = numberOf(value);
    if (n === undefined) return op === '!=' && value !== null;
    return compareNumbers(n, op, literal.value);
  }
  // Strings and regular expressions: only = and != (the parser refuses the others).
  if (value === null || typeof value === 'object') return op === '!=' && value !== null;
  const text = String(value);
  const equal = literal.type === 'regex' ? literal.regex.test(text) : stringMatches(text, literal);
  return op === '!=' ? !equal : equal;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function compareNumbers(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

const globCache = new Map<string, RegExp>();

function stringMatches(text: string, literal: Extract<Literal, { type: 'string' }>): boolean {
  if (!literal.wildcard) return text === literal.value;
  let re = globCache.get(literal.value);
  if (!re) {
    const source = literal.value
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${source}$`, 's');
    if (globCache.size < 1000) globCache.set(literal.value, re);
  }
  return re.test(text);
}
