/**
 * JSON patterns: `{ $.eventType = "UpdateTrail" }`, `{ $.latency > 500 }`, `{ $.a[0].b IS NULL }`,
 * `{ ($.x = 1 && $.y = 2) || $.z NOT EXISTS }`. `&&` binds tighter than `||`; parentheses group.
 */
import type { JsonExpr, Step } from './ast.ts';
import { FilterPatternError } from './errors.ts';
import type { Scanner } from './scanner.ts';

/** The expression between `{` and `}`; the scanner stands after the `{`. */
export function parseJsonExpr(s: Scanner): JsonExpr {
  const expr = orExpr(s);
  s.expect('}');
  if (!s.atEnd()) throw new FilterPatternError('unexpected text after }');
  return expr;
}

function orExpr(s: Scanner): JsonExpr {
  let left = andExpr(s);
  while (s.eat('||')) left = { type: 'or', left, right: andExpr(s) };
  return left;
}

function andExpr(s: Scanner): JsonExpr {
  let left = primary(s);
  while (s.eat('&&')) left = { type: 'and', left, right: primary(s) };
  return left;
}

function primary(s: Scanner): JsonExpr {
  if (s.eat('(')) {
    const inner = orExpr(s);
    s.expect(')');
    return inner;
  }
  const { steps, path } = selector(s);
  if (s.eatKeyword('IS')) {
    if (s.eatKeyword('NULL')) return { type: 'test', selector: steps, path, test: 'null' };
    if (s.eatKeyword('TRUE')) return { type: 'test', selector: steps, path, test: 'true' };
    if (s.eatKeyword('FALSE')) return { type: 'test', selector: steps, path, test: 'false' };
    throw new FilterPatternError('expected NULL, TRUE or FALSE after IS');
  }
  if (s.eatKeyword('NOT')) {
    if (!s.eatKeyword('EXISTS')) throw new FilterPatternError('expected EXISTS after NOT');
    return { type: 'test', selector: steps, path, test: 'not-exists' };
  }
  if (s.eatKeyword('EXISTS')) return { type: 'test', selector: steps, path, test: 'exists' };
  const op = s.operator();
  if (!op) throw new FilterPatternError(`expected an operator after ${path}`);
  const value = s.literal();
  if (value.type !== 'number' && op !== '=' && op !== '!=') {
    throw new FilterPatternError(`${op} compares numbers only`);
  }
  return { type: 'compare', selector: steps, path, op, value };
}

/** `$.a.b[0]["c d"].*`: the steps from the event's root. */
export function selector(s: Scanner): { steps: Step[]; path: string } {
  s.skipSpace();
  const start = s.pos;
  if (s.text[s.pos] !== '$') throw new FilterPatternError(`expected a selector ($.field) at ${s.pos}`);
  s.pos += 1;
  const steps: Step[] = [];
  for (;;) {
    const c = s.text[s.pos];
    if (c === '.') {
      s.pos += 1;
      if (s.text[s.pos] === '*') {
        s.pos += 1;
        steps.push({ type: 'any' });
        continue;
      }
      const m = /^[A-Za-z0-9_\-@#:]+/.exec(s.text.slice(s.pos));
      if (!m) throw new FilterPatternError(`expected a field name at ${s.pos}`);
      steps.push({ type: 'key', key: m[0] });
      s.pos += m[0].length;
    } else if (c === '[') {
      const m = /^\[\s*(\d+|\*)\s*\]/.exec(s.text.slice(s.pos));
      if (!m) throw new FilterPatternError(`expected an array index at ${s.pos}`);
      steps.push(m[1] === '*' ? { type: 'any' } : { type: 'index', index: Number(m[1]) });
      s.pos += m[0].length;
    } else {
      break;
    }
  }
  if (steps.length === 0) throw new FilterPatternError('a selector names at least one field');
  return { steps, path: s.text.slice(start, s.pos) };
}
