/**
 * CloudWatch Logs filter patterns: `compileFilterPattern(text)` parses once (throwing
 * FilterPatternError when malformed) and returns a matcher used by FilterLogEvents, metric
 * filters, subscription filters and TestMetricFilter.
 */
import type { FieldExpr, FilterPatternAst, JsonExpr, Step } from './ast.ts';
import { type Match, matchEvent, select } from './match.ts';
import { parseFilterPattern } from './parse.ts';
import { selector } from './parse-json.ts';
import { Scanner } from './scanner.ts';

export type { FilterPatternAst } from './ast.ts';
export { FilterPatternError } from './errors.ts';
export type { Match } from './match.ts';

export interface FilterPattern {
  readonly text: string;
  readonly ast: FilterPatternAst;
  /** The match (with what it extracted), or undefined. */
  match(message: string): Match | undefined;
  /**
   * Substrings every matching event contains (the positive terms of a one-group text pattern):
   * a storage engine may pre-filter on them before the exact match runs.
   */
  readonly requiredSubstrings: readonly string[];
  /** The pattern holds a `%regex%` (CloudWatch allows five such metric or subscription filters a group). */
  readonly usesRegex: boolean;
}

export function compileFilterPattern(text: string): FilterPattern {
  const ast = parseFilterPattern(text);
  const requiredSubstrings =
    ast.type === 'terms' && ast.groups.length === 1
      ? ast.groups[0]!.terms.filter((t) => !t.exclude && !t.regex && t.text !== '').map((t) => t.text)
      : [];
  return {
    text,
    ast,
    match: (message) => matchEvent(ast, message),
    requiredSubstrings,
    usesRegex: usesRegex(ast),
  };
}

function usesRegex(ast: FilterPatternAst): boolean {
  switch (ast.type) {
    case 'all':
      return false;
    case 'terms':
      return ast.groups.some((g) => g.terms.some((t) => t.regex !== undefined));
    case 'json':
      return jsonUsesRegex(ast.expr);
    case 'space':
      return ast.fields.some(
        (f) => f.type === 'field' && f.condition !== undefined && fieldUsesRegex(f.condition),
      );
  }
}

function jsonUsesRegex(e: JsonExpr): boolean {
  if (e.type === 'and' || e.type === 'or') return jsonUsesRegex(e.left) || jsonUsesRegex(e.right);
  return e.type === 'compare' && e.value.type === 'regex';
}

function fieldUsesRegex(e: FieldExpr): boolean {
  if (e.type === 'and' || e.type === 'or') return fieldUsesRegex(e.left) || fieldUsesRegex(e.right);
  return e.value.type === 'regex';
}

/**
 * The value a metric transformation or dimension names in a matched event: `$.field.path` in a
 * JSON event, `$name` in a space-delimited one. Undefined when the event has no such value.
 */
export function fieldValue(match: Match, ref: string): string | number | boolean | undefined {
  if (match.type === 'json' && ref.startsWith('$.')) {
    const steps = selectorSteps(ref);
    const [v] = steps ? select(match.document, steps) : [];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (match.type === 'space' && ref.startsWith('$')) return match.fields.get(ref.slice(1));
  return undefined;
}

const selectorCache = new Map<string, Step[] | undefined>();

/** `$.a.b[0]` as selector steps (cached: metric transformations name the same few); undefined if malformed. */
function selectorSteps(ref: string): Step[] | undefined {
  if (selectorCache.has(ref)) return selectorCache.get(ref);
  let steps: Step[] | undefined;
  try {
    const s = new Scanner(ref);
    steps = selector(s).steps;
    if (!s.atEnd()) steps = undefined;
  } catch {
    steps = undefined;
  }
  if (selectorCache.size < 1000) selectorCache.set(ref, steps);
  return steps;
}

/** The named fields a space-delimited match extracted, as TestMetricFilter reports them (`$name`). */
export function extractedValues(match: Match): Record<string, string> {
  if (match.type !== 'space') return {};
  return Object.fromEntries([...match.fields].map(([k, v]) => [`$${k}`, v]));
}
