/** Splits a cluster query expression into words, quoted strings and symbols, with positions. */
import { QueryError } from '../errors.ts';

/** `position` is the token's first character, `end` one past its last (quotes included). */
export type Token =
  | { readonly type: 'word'; readonly text: string; readonly position: number; readonly end: number }
  | { readonly type: 'string'; readonly text: string; readonly position: number; readonly end: number }
  | { readonly type: 'symbol'; readonly text: SymbolText; readonly position: number; readonly end: number }
  | { readonly type: 'end'; readonly text: ''; readonly position: number; readonly end: number };

/** Two-character symbols first, so `>=` is not read as `>` then `=`. */
const SYMBOLS = [
  '==',
  '!=',
  '>=',
  '<=',
  '=~',
  '!~',
  '&&',
  '||',
  '>',
  '<',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
] as const;
export type SymbolText = (typeof SYMBOLS)[number];

/**
 * Characters that end a bare word. Everything else may appear in one, which is what lets
 * `attribute:ecs.instance-type`, `t2.*`, `service:web`, `1.14.5` and `2018-06-18T22:28:28+00:00`
 * stay single words. A regex with `|` or parentheses has to be quoted.
 */
const WORD_STOP = new Set([
  ' ',
  '\t',
  '\n',
  '\r',
  '(',
  ')',
  '[',
  ']',
  ',',
  "'",
  '"',
  '=',
  '!',
  '<',
  '>',
  '&',
  '|',
  '~',
]);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { text, next } = readQuoted(source, i);
      tokens.push({ type: 'string', text, position: i, end: next });
      i = next;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol, position: i, end: i + symbol.length });
      i += symbol.length;
      continue;
    }
    if (WORD_STOP.has(ch)) throw new QueryError(`unexpected '${ch}'`, i, source);
    const start = i;
    while (i < source.length && !WORD_STOP.has(source[i])) i++;
    tokens.push({ type: 'word', text: source.slice(start, i), position: start, end: i });
  }
  tokens.push({ type: 'end', text: '', position: source.length, end: source.length });
  return tokens;
}

/** A quoted string: only the quote character itself can be escaped (`'it\'s'`), so regex backslashes survive. */
function readQuoted(source: string, open: number): { text: string; next: number } {
  const quote = source[open];
  let text = '';
  for (let i = open + 1; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\' && source[i + 1] === quote) {
      text += quote;
      i++;
    } else if (ch === quote) {
      return { text, next: i + 1 };
    } else {
      text += ch;
    }
  }
  throw new QueryError('unterminated string', open, source);
}
