/**
 * The metric math parser: an expression string to a tree. Precedence, loosest first:
 *   OR ||   <   AND &&   <   == != < <= > >=   <   + -   <   * /   <   unary -   <   ^ (right)
 * Identifiers name other queries (`m1`, `e1`) or keywords (`REPEAT`, `LINEAR`); calls are
 * `NAME(args)`; `[m1, m2]` is an array; strings are single- or double-quoted.
 */

export type Node =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ident'; name: string }
  | { type: 'unary'; op: '-' | '+'; operand: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'array'; items: Node[] };

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** How deeply parentheses, calls and signs may nest. */
export const MAX_DEPTH = 100;

/** A malformed expression; `message` says what and where (1-based column). */
export class MathSyntaxError extends Error {}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'id'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '^',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  ',',
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]), at: i + 1 });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) {
      tokens.push({ kind: 'id', value: id[0], at: i + 1 });
      i += id[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new MathSyntaxError(`Unterminated string starting at column ${i + 1}.`);
      tokens.push({ kind: 'str', value, at: i + 1 });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new MathSyntaxError(`Unexpected character '${c}' at column ${i + 1}.`);
    tokens.push({ kind: 'op', value: op, at: i + 1 });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length + 1 });
  return tokens;
}

const LEVELS: readonly (readonly string[])[] = [
  ['OR', '||'],
  ['AND', '&&'],
  ['==', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
];
const CANONICAL: Record<string, BinaryOp> = { '||': 'OR', '&&': 'AND' };

export function parseExpression(text: string): Node {
  if (text.trim() === '') throw new MathSyntaxError('The expression is empty.');
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const describe = (t: Token) =>
    t.kind === 'end' ? 'end of expression' : `'${String(t.value)}' at column ${t.at}`;
  const isOp = (t: Token, ops: readonly string[]) =>
    (t.kind === 'op' && ops.includes(t.value)) || (t.kind === 'id' && ops.includes(t.value));
  const expect = (value: string) => {
    const t = peek();
    if (t.kind !== 'op' || t.value !== value)
      throw new MathSyntaxError(`Expected '${value}' but found ${describe(t)}.`);
    pos++;
  };

  const level = (n: number): Node => {
    if (n === LEVELS.length) return unary();
    let left = level(n + 1);
    while (isOp(peek(), LEVELS[n])) {
      const t = peek() as Token & { value: string };
      pos++;
      const op = CANONICAL[t.value] ?? (t.value as BinaryOp);
      left = { type: 'binary', op, left, right: level(n + 1) };
    }
    return left;
  };
  const unary = (): Node => {
    const t = peek();
    // Parentheses, brackets, calls and signs recurse: a bound keeps a hostile expression off the stack's end.
    if (++depth > MAX_DEPTH)
      throw new MathSyntaxError(`The expression nests deeper than ${MAX_DEPTH} levels.`);
    try {
      return signed(t);
    } finally {
      depth--;
    }
  };
  const signed = (t: Token): Node => {
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      pos++;
      return { type: 'unary', op: t.value, operand: unary() };
    }
    return power();
  };
  const power = (): Node => {
    const base = primary();
    if (isOp(peek(), ['^'])) {
      pos++;
      return { type: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (isOp(peek(), [close])) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(level(0));
      if (isOp(peek(), [','])) {
        pos++;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): Node => {
    const t = peek();
    pos++;
    if (t.kind === 'num') return { type: 'number', value: t.value };
    if (t.kind === 'str') return { type: 'string', value: t.value };
    if (t.kind === 'id') {
      if (isOp(peek(), ['('])) {
        pos++;
        return { type: 'call', name: t.value.toUpperCase(), args: list(')') };
      }
      return { type: 'ident', name: t.value };
    }
    if (t.kind === 'op' && t.value === '(') {
      const inner = level(0);
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.value === '[') return { type: 'array', items: list(']') };
    throw new MathSyntaxError(`Unexpected ${describe(t)}.`);
  };

  const tree = level(0);
  if (peek().kind !== 'end') throw new MathSyntaxError(`Unexpected ${describe(peek())}.`);
  return tree;
}

/** The ids an expression refers to (to order evaluation and find unknown or circular references). */
export function referencedIds(node: Node, out = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'ident':
      if (!KEYWORDS.has(node.name)) out.add(node.name);
      break;
    case 'unary':
      referencedIds(node.operand, out);
      break;
    case 'binary':
      referencedIds(node.left, out);
      referencedIds(node.right, out);
      break;
    case 'call':
    case 'array':
      for (const a of node.type === 'call' ? node.args : node.items) referencedIds(a, out);
      break;
  }
  return out;
}

/** Bare words that are not query ids (FILL's modes, SORT's aggregates and orders). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'REPEAT',
  'LINEAR',
  'ASC',
  'DESC',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'STDDEV',
]);
