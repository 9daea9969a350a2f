/** Turns one `subject operator argument` node into a test, checking its arguments once. */
import { type Comparison, Operator } from './ast.ts';
import { EQUALITY, kindOf, positiveTest } from './match.ts';

/** The subject's value on an instance: a string or number, `undefined` for a name-only attribute. */
export type SubjectValue = string | number | undefined | typeof ABSENT;
/** The subject does not exist on the instance (an attribute it lacks, an unknown agent version). */
export const ABSENT: unique symbol = Symbol('absent');

export interface CompiledComparison {
  readonly node: Comparison;
  /** Result for a scalar subject. Only `!exists` is true for an absent subject; `!=` is not. */
  evaluate(value: SubjectValue): boolean;
  /** Result for task:group over the groups on an instance: `==` is "runs one", `!=` is "runs none". */
  evaluateAny(values: Iterable<string>): boolean;
  /** The plain names compared against (no wildcard), so task:group can read per-group counts. */
  readonly exactValues: readonly string[] | undefined;
}

const NEGATED = new Set<Operator>([
  Operator.NotEquals,
  Operator.NotIn,
  Operator.NotMatches,
  Operator.NotExists,
]);

export function compileComparison(node: Comparison, source: string): CompiledComparison {
  const kind = kindOf(node);
  const match = positiveTest(node, kind, source);
  const negated = NEGATED.has(node.operator);
  const exists = node.operator === Operator.Exists || node.operator === Operator.NotExists;
  const plain = kind === 'string' && node.args.every((a) => !a.text.includes('*'));
  const equality = EQUALITY.has(node.operator);
  return {
    node,
    evaluate(value) {
      if (value === ABSENT) return node.operator === Operator.NotExists;
      if (exists) return !negated;
      return negated ? !match(value) : match(value);
    },
    evaluateAny(values) {
      let any = false;
      for (const v of values) if (match(v)) any = true;
      return negated ? !any : any;
    },
    exactValues: equality && plain ? node.args.map((a) => a.text) : undefined,
  };
}
