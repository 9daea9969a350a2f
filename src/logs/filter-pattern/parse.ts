/**
 * Parses a CloudWatch Logs filter pattern. The first character decides its kind: `{` a JSON
 * pattern, `[` a space-delimited pattern, anything else text terms:
 *
 *   ERROR                 events containing ERROR (case-sensitive, anywhere in the message)
 *   ERROR Exception       both
 *   ?ERROR ?WARN          either; each `?` starts an alternative, the terms after it join it
 *   ERROR -Exiting        ERROR but not Exiting
 *   "Failed to process"   the exact phrase; a term with spaces or punctuation must be quoted
 *   %ERR[0-9]+%           a regular expression
 *   "" or " " or nothing  every event
 */
import type { FilterPatternAst, Term, TermGroup } from './ast.ts';
import { FilterPatternError } from './errors.ts';
import { parseJsonExpr } from './parse-json.ts';
import { parseFields } from './parse-space.ts';
import { compileRegex, Scanner } from './scanner.ts';

/** The longest pattern the API takes (the model's FilterPattern max length). */
export const MAX_PATTERN_LENGTH = 1024;

/** Characters an unquoted term may not hold (they open or close other syntax). */
const BARE_FORBIDDEN = /["(){}[\]]/;

export function parseFilterPattern(pattern: string): FilterPatternAst {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new FilterPatternError('pattern too long');
  const s = new Scanner(pattern);
  if (s.atEnd()) return { type: 'all' };
  if (s.eat('{')) return withRegexLimit(s, { type: 'json', expr: parseJsonExpr(s) });
  if (s.eat('[')) return withRegexLimit(s, { type: 'space', fields: parseFields(s) });
  return termsOf(s);
}

/** At most two regular expressions in a JSON or space-delimited pattern, as CloudWatch allows. */
const MAX_REGEXES = 2;

function withRegexLimit(s: Scanner, ast: FilterPatternAst): FilterPatternAst {
  if (s.regexes > MAX_REGEXES) throw new FilterPatternError(`more than ${MAX_REGEXES} regular expressions`);
  return ast;
}

function termsOf(s: Scanner): FilterPatternAst {
  const groups: TermGroup[] = [{ terms: [] }];
  let blankOnly = true;
  while (!s.atEnd()) {
    let alternative = false;
    let exclude = false;
    const c = s.text[s.pos];
    if (c === '?') {
      alternative = true;
      s.pos += 1;
    } else if (c === '-') {
      exclude = true;
      s.pos += 1;
    }
    const term = termAt(s, exclude);
    if (term.text.trim() !== '' || term.regex) blankOnly = false;
    if (alternative) {
      // The terms before the first `?` are an alternative of their own only if there are some.
      if (groups.length === 1 && groups[0]!.terms.length === 0) groups[0]!.terms.push(term);
      else groups.push({ terms: [term] });
    } else {
      groups[groups.length - 1]!.terms.push(term);
    }
  }
  if (blankOnly) return { type: 'all' };
  return { type: 'terms', groups };
}

function termAt(s: Scanner, exclude: boolean): Term {
  const c = s.text[s.pos];
  if (c === undefined || /\s/.test(c)) throw new FilterPatternError(`empty term at ${s.pos}`);
  if (c === '"') {
    const text = s.quoted();
    endOfTerm(s);
    return { text, exclude };
  }
  if (c === '%') {
    const literal = s.regex();
    endOfTerm(s);
    if (literal.type !== 'regex') throw new FilterPatternError('expected a regular expression');
    return { text: literal.source, regex: compileRegex(literal.source), exclude };
  }
  const start = s.pos;
  while (s.pos < s.text.length && !/\s/.test(s.text[s.pos]!)) s.pos += 1;
  const text = s.text.slice(start, s.pos);
  if (BARE_FORBIDDEN.test(text)) throw new FilterPatternError(`invalid character(s) in term '${text}'`);
  return { text, exclude };
}

/** A quoted term or a regular expression ends at a space or the end of the pattern. */
function endOfTerm(s: Scanner): void {
  const next = s.text[s.pos];
  if (next !== undefined && !/\s/.test(next)) {
    throw new FilterPatternError(`invalid character(s) after term at ${s.pos}`);
  }
}
