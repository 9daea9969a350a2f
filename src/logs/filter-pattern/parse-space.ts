/**
 * Space-delimited patterns: `[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]`,
 * `[..., status_code = 404 || status_code = 410, bytes]`. Each field is a name, a name with
 * conditions on it (joined by `&&` / `||`, each naming the field again), or `...`.
 */
import type { Field, FieldExpr } from './ast.ts';
import { FilterPatternError } from './errors.ts';
import type { Scanner } from './scanner.ts';

const NAME = /^[A-Za-z_$][\w$.-]*/;

/** The fields between `[` and `]`; the scanner stands after the `[`. */
export function parseFields(s: Scanner): Field[] {
  const fields: Field[] = [];
  const names = new Set<string>();
  if (s.eat(']')) {
    if (!s.atEnd()) throw new FilterPatternError('unexpected text after ]');
    return fields;
  }
  for (;;) {
    if (s.eat('...')) {
      fields.push({ type: 'ellipsis' });
    } else {
      const name = fieldName(s);
      if (names.has(name)) throw new FilterPatternError(`duplicate field ${name}`);
      names.add(name);
      const condition = s.peek(',') || s.peek(']') ? undefined : orExpr(s, name, true);
      fields.push(condition ? { type: 'field', name, condition } : { type: 'field', name });
    }
    if (s.eat(']')) break;
    s.expect(',');
  }
  if (!s.atEnd()) throw new FilterPatternError('unexpected text after ]');
  return fields;
}

function fieldName(s: Scanner): string {
  s.skipSpace();
  const m = NAME.exec(s.text.slice(s.pos));
  if (!m) throw new FilterPatternError(`expected a field name at ${s.pos}`);
  s.pos += m[0].length;
  return m[0];
}

function orExpr(s: Scanner, name: string, first: boolean): FieldExpr {
  let left = andExpr(s, name, first);
  while (s.eat('||')) left = { type: 'or', left, right: andExpr(s, name, false) };
  return left;
}

function andExpr(s: Scanner, name: string, first: boolean): FieldExpr {
  let left = compare(s, name, first);
  while (s.eat('&&')) left = { type: 'and', left, right: compare(s, name, false) };
  return left;
}

/** `op value`; after `&&`/`||` the field is named again (`status = 404 || status = 410`). */
function compare(s: Scanner, name: string, first: boolean): FieldExpr {
  if (s.eat('(')) {
    const inner = orExpr(s, name, first);
    s.expect(')');
    return inner;
  }
  if (!first) {
    const again = fieldName(s);
    if (again !== name) throw new FilterPatternError(`condition on ${again} inside field ${name}`);
  }
  const op = s.operator();
  if (!op) throw new FilterPatternError(`expected an operator after ${name}`);
  const value = s.literal();
  if (value.type !== 'number' && op !== '=' && op !== '!=') {
    throw new FilterPatternError(`${op} compares numbers only`);
  }
  return { type: 'compare', op, value };
}
