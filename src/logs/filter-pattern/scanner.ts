/** A cursor over a pattern's text: the shared lexing of JSON and space-delimited patterns. */
import type { Literal, Operator } from './ast.ts';
import { FilterPatternError } from './errors.ts';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Characters that end an unquoted value. */
const VALUE_END = new Set([' ', '\t', '\n', '\r', ')', '(', ',', ']', '}', '&', '|']);

export class Scanner {
  readonly text: string;
  pos: number;
  /** `%regex%` literals read so far (CloudWatch allows two in a JSON or space-delimited pattern). */
  regexes = 0;

  constructor(text: string, pos = 0) {
    this.text = text;
    this.pos = pos;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(s: string): boolean {
    this.skipSpace();
    return this.text.startsWith(s, this.pos);
  }

  /** Consumes `s` (after spaces) when it is next. */
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string): void {
    if (!this.eat(s)) throw new FilterPatternError(`expected '${s}' at ${this.pos}`);
  }

  /** A case-insensitive keyword (`IS`, `NULL`, `NOT`, `EXISTS`, `TRUE`, `FALSE`) followed by a boundary. */
  eatKeyword(word: string): boolean {
    this.skipSpace();
    const next = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length];
    if (next.toUpperCase() !== word || (after !== undefined && /[\w$.]/.test(after))) return false;
    this.pos += word.length;
    return true;
  }

  operator(): Operator | undefined {
    this.skipSpace();
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  /** A double-quoted string (`\"` and `\\` escaped), the cursor on its opening quote. */
  quoted(): string {
    this.pos += 1;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        out += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '"') {
        this.pos += 1;
        return out;
      }
      out += c;
      this.pos += 1;
    }
    throw new FilterPatternError('unbalanced quotation marks');
  }

  /** `%regex%`, the cursor on the first `%`. */
  regex(): Literal {
    const end = this.text.indexOf('%', this.pos + 1);
    if (end < 0) throw new FilterPatternError('unterminated regular expression');
    const source = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    this.regexes += 1;
    return { type: 'regex', regex: compileRegex(source), source };
  }

  /** The value after an operator: a quoted string, a `%regex%`, a number or an unquoted word. */
  literal(): Literal {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) throw new FilterPatternError('missing value');
    if (c === '"') {
      const value = this.quoted();
      return { type: 'string', value, wildcard: value.includes('*') };
    }
    if (c === '%') return this.regex();
    const start = this.pos;
    while (this.pos < this.text.length && !VALUE_END.has(this.text[this.pos]!)) this.pos += 1;
    const word = this.text.slice(start, this.pos);
    if (word === '' || word.includes('"')) throw new FilterPatternError(`invalid value at ${start}`);
    if (NUMBER.test(word)) return { type: 'number', value: Number(word), text: word };
    return { type: 'string', value: word, wildcard: word.includes('*') };
  }
}

/**
 * CloudWatch's regular expressions are a subset: letters and digits, the symbols `_ # = @ / ; , - :`
 * and the operators `^ $ ? [ ] { } | \ * + .`; no parentheses (so no groups, lookarounds or
 * backreferences) and no multi-byte characters. Longshore refuses what CloudWatch refuses, then
 * runs the expression with JavaScript's engine (the subset means the same in both).
 */
const REGEX_CHARS = /^[A-Za-z0-9_#=@/;,\-:^$?[\]{}|\\*+.]+$/;

export function compileRegex(source: string): RegExp {
  if (source.length > 200 || !REGEX_CHARS.test(source)) {
    throw new FilterPatternError(`unsupported regular expression ${source}`);
  }
  try {
    return new RegExp(source);
  } catch {
    throw new FilterPatternError(`invalid regular expression ${source}`);
  }
}
