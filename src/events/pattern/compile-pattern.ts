/**
 * EventBridge event patterns: validated and compiled once into a predicate over events. The
 * language as EventBridge documents it: a pattern is a JSON object whose leaves are arrays of
 * matchers (OR), its keys AND-ed, `$or` for alternatives; matchers are exact values (string,
 * number compared numerically, true, false, null), `prefix`, `suffix` (each also with
 * `equals-ignore-case`), `equals-ignore-case`, `anything-but` (a value, a list, `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric` (up to two comparisons), `exists`, `wildcard` and
 * `cidr`. An event field holding an array matches when any of its elements does; objects in event
 * arrays are walked into, each constraint on its own. Pure.
 */
import { type CompiledCidr, compileCidr } from './pattern-cidr.ts';

/** EventBridge's error for a pattern it refuses (InvalidEventPatternException). */
export class PatternError extends Error {
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

type Matcher = (value: unknown) => boolean;

/** A constraint: the values at `path` (arrays walked into) must satisfy one of `matchers`. */
interface Constraint {
  path: string[];
  matchers: Matcher[];
  /** `exists: false` alone: the path must hold no value. */
  absent: boolean;
  /** The allowed strings, when every matcher is an exact string (rule indexing). */
  exact?: string[];
}

interface Compiled {
  constraints: Constraint[];
  /** Each `$or`: at least one alternative must match. */
  alternatives: Compiled[][];
}

export interface EventPattern {
  matches(event: unknown): boolean;
  /** The exact `source` values it requires, when it requires one (rule indexing). */
  sources: string[] | undefined;
}

/** Compiles a pattern given as JSON text or a parsed object; throws PatternError when invalid. */
export function compilePattern(pattern: string | unknown): EventPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new PatternError('Filter is not valid JSON');
    }
  }
  if (!isObject(parsed)) throw new PatternError('Filter is not an object');
  const compiled = compileObject(parsed, []);
  if (compiled.constraints.length === 0 && compiled.alternatives.length === 0) {
    throw new PatternError('Empty pattern');
  }
  return {
    matches: (event) => matchCompiled(compiled, event),
    sources: exactSources(compiled),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileObject(obj: Record<string, unknown>, path: string[]): Compiled {
  const out: Compiled = { constraints: [], alternatives: [] };
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new PatternError('$or must be an array of at least two patterns');
      }
      out.alternatives.push(
        value.map((alt) => {
          if (!isObject(alt)) throw new PatternError('$or alternatives must be objects');
          return compileObject(alt, path);
        }),
      );
    } else if (isObject(value)) {
      const inner = compileObject(value, [...path, key]);
      out.constraints.push(...inner.constraints);
      out.alternatives.push(...inner.alternatives);
    } else if (Array.isArray(value)) {
      if (value.length === 0)
        throw new PatternError(`Empty arrays are not allowed (at ${[...path, key].join('.')})`);
      out.constraints.push(compileLeaf([...path, key], value));
    } else {
      throw new PatternError(`"${[...path, key].join('.')}" must be an object or an array`);
    }
  }
  return out;
}

function compileLeaf(path: string[], values: unknown[]): Constraint {
  const matchers: Matcher[] = [];
  let absent = false;
  for (const v of values) {
    if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length !== 1)
        throw new PatternError(`Match objects take exactly one key (at ${path.join('.')})`);
      const [op] = keys;
      if (op === 'exists') {
        if (typeof v.exists !== 'boolean')
          throw new PatternError('exists match pattern must be either true or false.');
        if (v.exists) matchers.push(() => true);
        else absent = true;
        continue;
      }
      matchers.push(compileOperator(op, v[op], path));
    } else {
      matchers.push(exactMatcher(v, path));
    }
  }
  if (absent && matchers.length > 0) {
    throw new PatternError(`exists: false cannot be combined with other matchers (at ${path.join('.')})`);
  }
  const exact = values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
  return { path, matchers, absent, ...(exact ? { exact } : {}) };
}

function exactMatcher(v: unknown, path: string[]): Matcher {
  if (typeof v === 'string') return (x) => x === v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PatternError(`Numbers must be finite (at ${path.join('.')})`);
    return (x) => typeof x === 'number' && x === v;
  }
  if (v === null || typeof v === 'boolean') return (x) => x === v;
  throw new PatternError('Match value must be String, number, true, false, or null');
}

function stringOrIgnoreCase(
  name: string,
  arg: unknown,
  path: string[],
): { text: string; ignoreCase: boolean } {
  if (typeof arg === 'string') return { text: arg, ignoreCase: false };
  if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string') {
    return { text: arg['equals-ignore-case'] as string, ignoreCase: true };
  }
  throw new PatternError(`${name} match pattern must be a string (at ${path.join('.')})`);
}

function compileOperator(op: string, arg: unknown, path: string[]): Matcher {
  switch (op) {
    case 'prefix': {
      const { text, ignoreCase } = stringOrIgnoreCase('prefix', arg, path);
      if (ignoreCase) {
        const lower = text.toLowerCase();
        return (x) => typeof x === 'string' && x.toLowerCase().startsWith(lower);
      }
      return (x) => typeof x === 'string' && x.startsWith(text);
    }
    case 'suffix': {
      const { text, ignoreCase } = stringOrIgnoreCase('suffix', arg, path);
      if (ignoreCase) {
        const lower = text.toLowerCase();
        return (x) => typeof x === 'string' && x.toLowerCase().endsWith(lower);
      }
      return (x) => typeof x === 'string' && x.endsWith(text);
    }
    case 'equals-ignore-case': {
      if (typeof arg !== 'string')
        throw new PatternError('equals-ignore-case match pattern must be a string');
      const lower = arg.toLowerCase();
      return (x) => typeof x === 'string' && x.toLowerCase() === lower;
    }
    case 'wildcard': {
      if (typeof arg !== 'string') throw new PatternError('wildcard match pattern must be a string');
      const re = wildcardRegex(arg);
      return (x) => typeof x === 'string' && re.test(x);
    }
    case 'anything-but':
      return anythingBut(arg, path);
    case 'numeric':
      return numeric(arg);
    case 'cidr': {
      if (typeof arg !== 'string') throw new PatternError('cidr match pattern must be a string');
      let cidr: CompiledCidr;
      try {
        cidr = compileCidr(arg);
      } catch {
        throw new PatternError(`Nonstandard IP address: ${arg}`);
      }
      return (x) => typeof x === 'string' && cidr.contains(x);
    }
    default:
      throw new PatternError(`Unrecognized match type ${op}`);
  }
}

/** `*` matches any run of characters; `\*` a literal star, `\\` a backslash; `**` is refused, as EventBridge does. */
function wildcardRegex(text: string): RegExp {
  if (/(^|[^\\])\*\*/.test(text)) throw new PatternError('Consecutive wildcard characters are not allowed');
  let re = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternError('Invalid escape in wildcard pattern');
      re += next === '*' ? '\\*' : '\\\\';
      i++;
    } else if (c === '*') re += '.*';
    else re += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function anythingBut(arg: unknown, path: string[]): Matcher {
  const leafValue = (x: unknown) => typeof x === 'string' || typeof x === 'number';
  if (typeof arg === 'string' || typeof arg === 'number') return (x) => leafValue(x) && x !== arg;
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new PatternError('anything-but list must not be empty');
    const allStrings = arg.every((a) => typeof a === 'string');
    const allNumbers = arg.every((a) => typeof a === 'number');
    if (!allStrings && !allNumbers) {
      throw new PatternError('Inside anything but list, start|null|boolean is not supported.');
    }
    const set = new Set<unknown>(arg);
    return (x) => leafValue(x) && !set.has(x);
  }
  if (isObject(arg) && Object.keys(arg).length === 1) {
    const [op] = Object.keys(arg);
    const value = arg[op];
    const texts = (name: string) => {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every((t) => typeof t === 'string')) {
        throw new PatternError(`Inside anything but ${name}, value must be a string or a list of strings`);
      }
      return list as string[];
    };
    switch (op) {
      case 'prefix': {
        const list = texts('prefix');
        return (x) => typeof x === 'string' && !list.some((p) => x.startsWith(p));
      }
      case 'suffix': {
        const list = texts('suffix');
        return (x) => typeof x === 'string' && !list.some((s) => x.endsWith(s));
      }
      case 'equals-ignore-case': {
        const set = new Set(texts('equals-ignore-case').map((t) => t.toLowerCase()));
        return (x) => typeof x === 'string' && !set.has(x.toLowerCase());
      }
      case 'wildcard': {
        const res = texts('wildcard').map(wildcardRegex);
        return (x) => typeof x === 'string' && !res.some((re) => re.test(x));
      }
    }
  }
  throw new PatternError(
    `Value of anything-but must be an array or single string/number value (at ${path.join('.')})`,
  );
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
};

function numeric(arg: unknown): Matcher {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    throw new PatternError('Value of numeric must be an array of one or two comparisons');
  }
  const tests: ((x: number) => boolean)[] = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    const compare = typeof op === 'string' ? COMPARISONS[op] : undefined;
    if (!compare) throw new PatternError(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new PatternError(`Value of ${op} must be numeric`);
    }
    if (op === '=' && arg.length > 2) throw new PatternError('= cannot be combined with another comparison');
    if (op.startsWith('>')) {
      if (lower) throw new PatternError('Two lower bounds in one numeric range');
      lower = true;
    }
    if (op.startsWith('<')) {
      if (upper) throw new PatternError('Two upper bounds in one numeric range');
      upper = true;
    }
    tests.push((x) => compare(x, bound));
  }
  return (x) => typeof x === 'number' && tests.every((t) => t(x));
}

/** Every leaf value at `path` in `event`, arrays walked into (objects in arrays too). */
function valuesAt(event: unknown, path: readonly string[], i: number, out: unknown[]): void {
  if (Array.isArray(event)) {
    for (const e of event) valuesAt(e, path, i, out);
    return;
  }
  if (i === path.length) {
    out.push(event);
    return;
  }
  if (typeof event !== 'object' || event === null) return;
  const next = (event as Record<string, unknown>)[path[i]];
  if (next === undefined) return;
  valuesAt(next, path, i + 1, out);
}

function matchCompiled(c: Compiled, event: unknown): boolean {
  for (const constraint of c.constraints) {
    const values: unknown[] = [];
    valuesAt(event, constraint.path, 0, values);
    // Objects are not leaves: a pattern leaf never matches an object in the event.
    const leaves = values.filter((v) => typeof v !== 'object' || v === null);
    if (constraint.absent) {
      if (values.length > 0) return false;
      continue;
    }
    if (!leaves.some((v) => constraint.matchers.some((m) => m(v)))) return false;
  }
  for (const alternatives of c.alternatives) {
    if (!alternatives.some((alt) => matchCompiled(alt, event))) return false;
  }
  return true;
}

/** The exact strings a top-level `source` constraint allows (undefined when not only exact strings). */
function exactSources(c: Compiled): string[] | undefined {
  const source = c.constraints.find((k) => k.path.length === 1 && k.path[0] === 'source');
  return source && !source.absent ? source.exact : undefined;
}
