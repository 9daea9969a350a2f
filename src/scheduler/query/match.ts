/** The un-negated test of a comparison: equality, pattern or ordering, per kind of subject. */
import { QueryError } from '../errors.ts';
import { type Comparison, Field, type Literal, Operator } from './ast.ts';
import {
  compareAttribute,
  compareDate,
  compareVersions,
  parseDate,
  parseVersion,
  wildcard,
} from './values.ts';

/** How a subject's values compare: attributes and ids as strings, the rest by meaning. */
export type Kind = 'string' | 'version' | 'date' | 'count';

/** ==, !=, in and !in: the operators that compare for equality. */
export const EQUALITY = new Set<Operator>([Operator.Equals, Operator.NotEquals, Operator.In, Operator.NotIn]);

/** Whether an ordering operator accepts a comparison result (negative, 0, positive). */
const HOLDS = {
  [Operator.Greater]: (c: number) => c > 0,
  [Operator.GreaterOrEqual]: (c: number) => c >= 0,
  [Operator.Less]: (c: number) => c < 0,
  [Operator.LessOrEqual]: (c: number) => c <= 0,
};

export function kindOf(node: Comparison): Kind {
  if (node.subject.type !== 'field') return 'string';
  switch (node.subject.field) {
    case Field.AgentVersion:
      return 'version';
    case Field.RegisteredAt:
      return 'date';
    case Field.RunningTasksCount:
      return 'count';
    default:
      return 'string';
  }
}

/** The un-negated test: == / in / =~ match, or the ordering holds. Values are never ABSENT here. */
export function positiveTest(
  node: Comparison,
  kind: Kind,
  source: string,
): (v: string | number | undefined) => boolean {
  const op = node.operator;
  if (op === Operator.Exists || op === Operator.NotExists) return () => true;
  if (op === Operator.Matches || op === Operator.NotMatches) {
    const re = regex(node.args[0], source);
    return (v) => v !== undefined && re.test(String(v));
  }
  const equality = EQUALITY.has(op);
  if (equality && kind === 'string') {
    // "String equality": exact, or a `*` wildcard; `10` and `10.0` are different values.
    const tests = node.args.map((arg) => {
      const glob = wildcard(arg.text);
      return glob ? (s: string) => glob.test(s) : (s: string) => s === arg.text;
    });
    return (v) => v !== undefined && tests.some((t) => t(String(v)));
  }
  const order = orderings(node.args, kind, source);
  if (equality) return (v) => v !== undefined && order.some((cmp) => cmp(v) === 0);
  const cmp = order[0];
  const holds = HOLDS[op as keyof typeof HOLDS];
  return (v) => {
    if (v === undefined) return false;
    const c = cmp(v);
    return !Number.isNaN(c) && holds(c);
  };
}

/** One comparator per argument: value vs argument, negative/0/positive, NaN when incomparable. */
function orderings(args: readonly Literal[], kind: Kind, source: string): ((v: string | number) => number)[] {
  return args.map((arg) => {
    const bad = (what: string): never => {
      throw new QueryError(`'${arg.text}' is not ${what}`, arg.position, source);
    };
    switch (kind) {
      case 'count': {
        if (!/^\d+$/.test(arg.text)) bad('a whole number');
        const n = Number(arg.text);
        return (v) => Math.sign(Number(v) - n);
      }
      case 'date': {
        const date = parseDate(arg.text) ?? bad('a date such as 2018-06-18 or 2018-06-18T22:28:28Z');
        return (v) => compareDate(Number(v), date);
      }
      case 'version': {
        const version = parseVersion(arg.text) ?? bad('a version such as 1.14.5');
        return (v) => {
          const parsed = parseVersion(String(v));
          return parsed ? compareVersions(parsed, version) : Number.NaN;
        };
      }
      default:
        return (v) => compareAttribute(String(v), arg.text);
    }
  });
}

/** Java-style `matches`: the pattern must cover the whole value, so `t2.*` matches `t2.micro`. */
function regex(arg: Literal, source: string): RegExp {
  try {
    return new RegExp(`^(?:${arg.text})$`);
  } catch {
    throw new QueryError(`invalid regular expression '${arg.text}'`, arg.position, source);
  }
}
