/**
 * The Condition element: every operator family IAM documents (String*, Numeric*, Date*, Bool,
 * BinaryEquals, IpAddress, Arn*, Null), the `...IfExists` suffix and the `ForAllValues:` /
 * `ForAnyValue:` set qualifiers, compiled once per statement.
 *
 * Semantics (IAM's condition operator reference): several operators in one block, and several
 * keys under one operator, must all match (AND); several values for one key match if any does
 * (OR). A key missing from the request fails a positive operator and satisfies a negated one
 * (`StringNotEquals` ...); `...IfExists` makes a missing key match. `ForAllValues:` is true when
 * every request value matches (so also when the key is missing or empty); `ForAnyValue:` when at
 * least one does.
 */
import type { ConditionContext } from './context.ts';
import { cidrMatcher } from './ip.ts';
import { hasVariable, substitute } from './variables.ts';
import { arnMatcher, wildcard } from './wildcard.ts';

type Test = (value: string) => boolean;
type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';

interface OperatorSpec {
  family: Family;
  negated: boolean;
  /** A test for request values, made from one policy value; undefined when the policy value is not of the family. */
  compile(policyValue: string): Test | undefined;
}

const num = (text: string): number => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

/** Epoch ms of an ISO 8601 date or of epoch seconds (IAM takes both); NaN otherwise. */
export function dateValue(text: string): number {
  if (/^-?\d+$/.test(text)) return Number(text) * 1000;
  return /^\d{4}-\d{2}(-\d{2})?/.test(text) ? Date.parse(text) : Number.NaN;
}

function ordered(
  family: 'Numeric' | 'Date',
  cmp: (a: number, b: number) => boolean,
): OperatorSpec['compile'] {
  const parse = family === 'Numeric' ? num : dateValue;
  return (policyValue) => {
    const p = parse(policyValue);
    if (Number.isNaN(p)) return undefined;
    return (value) => {
      const v = parse(value);
      return !Number.isNaN(v) && cmp(v, p);
    };
  };
}

const exact: OperatorSpec['compile'] = (p) => (v) => v === p;
const ignoreCase: OperatorSpec['compile'] = (p) => {
  const lower = p.toLowerCase();
  return (v) => v.toLowerCase() === lower;
};

const BASE: Record<string, Omit<OperatorSpec, 'negated'> & { negated?: boolean }> = {
  StringEquals: { family: 'String', compile: exact },
  StringNotEquals: { family: 'String', negated: true, compile: exact },
  StringEqualsIgnoreCase: { family: 'String', compile: ignoreCase },
  StringNotEqualsIgnoreCase: { family: 'String', negated: true, compile: ignoreCase },
  StringLike: { family: 'String', compile: (p) => wildcard(p) },
  StringNotLike: { family: 'String', negated: true, compile: (p) => wildcard(p) },
  NumericEquals: { family: 'Numeric', compile: ordered('Numeric', (a, b) => a === b) },
  NumericNotEquals: { family: 'Numeric', negated: true, compile: ordered('Numeric', (a, b) => a === b) },
  NumericLessThan: { family: 'Numeric', compile: ordered('Numeric', (a, b) => a < b) },
  NumericLessThanEquals: { family: 'Numeric', compile: ordered('Numeric', (a, b) => a <= b) },
  NumericGreaterThan: { family: 'Numeric', compile: ordered('Numeric', (a, b) => a > b) },
  NumericGreaterThanEquals: { family: 'Numeric', compile: ordered('Numeric', (a, b) => a >= b) },
  DateEquals: { family: 'Date', compile: ordered('Date', (a, b) => a === b) },
  DateNotEquals: { family: 'Date', negated: true, compile: ordered('Date', (a, b) => a === b) },
  DateLessThan: { family: 'Date', compile: ordered('Date', (a, b) => a < b) },
  DateLessThanEquals: { family: 'Date', compile: ordered('Date', (a, b) => a <= b) },
  DateGreaterThan: { family: 'Date', compile: ordered('Date', (a, b) => a > b) },
  DateGreaterThanEquals: { family: 'Date', compile: ordered('Date', (a, b) => a >= b) },
  Bool: { family: 'Bool', compile: ignoreCase },
  BinaryEquals: { family: 'Binary', compile: exact },
  IpAddress: { family: 'Ip', compile: (p) => cidrMatcher(p) },
  NotIpAddress: { family: 'Ip', negated: true, compile: (p) => cidrMatcher(p) },
  ArnEquals: { family: 'Arn', compile: (p) => arnMatcher(p) },
  ArnLike: { family: 'Arn', compile: (p) => arnMatcher(p) },
  ArnNotEquals: { family: 'Arn', negated: true, compile: (p) => arnMatcher(p) },
  ArnNotLike: { family: 'Arn', negated: true, compile: (p) => arnMatcher(p) },
  Null: { family: 'Null', compile: ignoreCase },
};

/** An operator name split into its qualifier, base operator and IfExists suffix. */
export interface ParsedOperator {
  set?: 'all' | 'any';
  base: string;
  ifExists: boolean;
  spec: OperatorSpec;
}

/** The operator `name` (`ForAnyValue:StringLikeIfExists` ...), or undefined when IAM has no such operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE[rest];
  if (!base || (ifExists && base.family === 'Null')) return undefined;
  return { set, base: rest, ifExists, spec: { ...base, negated: base.negated ?? false } };
}

/** A condition block compiled: true when the request context satisfies it. */
export type CompiledCondition = (context: ConditionContext) => boolean;

/** A condition value as the policy gives it: strings, numbers and booleans count as their text. */
export const conditionValues = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(String);

/**
 * Compiles a Condition element; `variables` is false for Version 2008-10-17 documents (no policy
 * variables). Throws on an unknown operator (validation rejects those before a policy is stored).
 */
export function compileCondition(condition: Record<string, unknown>, variables: boolean): CompiledCondition {
  const tests: CompiledCondition[] = [];
  for (const [operatorName, block] of Object.entries(condition)) {
    const op = parseOperator(operatorName);
    if (!op) throw new Error(`Invalid Condition type : ${operatorName}`);
    for (const [key, raw] of Object.entries((block ?? {}) as Record<string, unknown>)) {
      tests.push(compileKey(op, key.toLowerCase(), conditionValues(raw), variables));
    }
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (context) => tests.every((t) => t(context));
}

function compileKey(
  op: ParsedOperator,
  key: string,
  values: string[],
  variables: boolean,
): CompiledCondition {
  const { spec } = op;
  if (spec.family === 'Null') {
    const wantsAbsent = values.map((v) => v.toLowerCase() === 'true');
    return (context) => {
      const v = context.get(key);
      const absent = v === undefined || (typeof v !== 'string' && v.length === 0);
      return wantsAbsent.some((w) => w === absent);
    };
  }
  const matchers = values.map((v) => valueMatcher(spec, v, variables && spec.family !== 'Bool'));
  const matchOne = (value: string, context: ConditionContext) => matchers.some((m) => m(value, context));
  return (context) => {
    const got = context.get(key);
    if (got === undefined) {
      if (op.set === 'all') return true;
      if (op.set === 'any') return false;
      return op.ifExists || spec.negated;
    }
    const list = typeof got === 'string' ? [got] : got;
    if (op.set === 'all') return list.every((v) => matchOne(v, context) !== spec.negated);
    if (op.set === 'any') return list.some((v) => matchOne(v, context) !== spec.negated);
    const any = list.some((v) => matchOne(v, context));
    return spec.negated ? !any : any;
  };
}

/** One policy value as a test of a request value; variables are replaced per request. */
function valueMatcher(
  spec: OperatorSpec,
  policyValue: string,
  variables: boolean,
): (value: string, context: ConditionContext) => boolean {
  if (!variables || !hasVariable(policyValue)) {
    const test = spec.compile(policyValue);
    return test ? (value) => test(value) : () => false;
  }
  const cache = new Map<string, Test | undefined>();
  return (value, context) => {
    const text = substitute(policyValue, context);
    if (text === undefined) return false;
    let test = cache.get(text);
    if (test === undefined && !cache.has(text)) {
      test = spec.compile(text);
      if (cache.size < 256) cache.set(text, test);
    }
    return test ? test(value) : false;
  };
}
