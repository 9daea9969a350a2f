/** Evaluates a parsed filter pattern against one event's message. */
import type { Field, FieldExpr, FilterPatternAst, JsonExpr, Step, Term, TermGroup } from './ast.ts';
import { compare } from './compare.ts';
import { splitFields } from './split-fields.ts';

/** What a matching event offers metric transformations: its JSON document or its named fields. */
export type Match =
  | { type: 'text' }
  | { type: 'json'; document: unknown }
  | { type: 'space'; fields: ReadonlyMap<string, string> };

/** The match, or undefined when the event does not match. */
export function matchEvent(ast: FilterPatternAst, message: string): Match | undefined {
  switch (ast.type) {
    case 'all':
      return { type: 'text' };
    case 'terms':
      return ast.groups.some((g) => groupMatches(g, message)) ? { type: 'text' } : undefined;
    case 'json': {
      const document = parseJson(message);
      if (document === undefined) return undefined;
      return jsonMatches(ast.expr, document) ? { type: 'json', document } : undefined;
    }
    case 'space': {
      const fields = bindFields(ast.fields, splitFields(message));
      return fields ? { type: 'space', fields } : undefined;
    }
  }
}

function groupMatches(group: TermGroup, message: string): boolean {
  return group.terms.every((t) => termFound(t, message) !== t.exclude);
}

function termFound(term: Term, message: string): boolean {
  return term.regex ? term.regex.test(message) : message.includes(term.text);
}

/** Only a JSON object or array is a JSON event (CloudWatch ignores a bare string or number). */
function parseJson(message: string): unknown {
  const first = message.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

function jsonMatches(expr: JsonExpr, doc: unknown): boolean {
  switch (expr.type) {
    case 'and':
      return jsonMatches(expr.left, doc) && jsonMatches(expr.right, doc);
    case 'or':
      return jsonMatches(expr.left, doc) || jsonMatches(expr.right, doc);
    case 'compare':
      return select(doc, expr.selector).some((v) => compare(v, expr.op, expr.value));
    case 'test': {
      const values = select(doc, expr.selector);
      switch (expr.test) {
        case 'not-exists':
          return values.length === 0;
        case 'exists':
          return values.length > 0;
        case 'null':
          return values.some((v) => v === null);
        case 'true':
          return values.some((v) => v === true);
        case 'false':
          return values.some((v) => v === false);
      }
    }
  }
}

/** Every value the selector reaches (several through `*`); none when a step is missing. */
export function select(doc: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [doc];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      if (step.type === 'key') {
        if (!Array.isArray(v) && Object.hasOwn(v, step.key))
          next.push((v as Record<string, unknown>)[step.key]);
      } else if (step.type === 'index') {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else {
        next.push(...(Array.isArray(v) ? v : Object.values(v)));
      }
    }
    current = next;
  }
  return current;
}

/**
 * Binds the event's fields to the pattern's: names in order, `...` taking any number (tried
 * shortest first). The event must have exactly as many fields as the pattern unless `...` soaks
 * up the rest.
 */
function bindFields(fields: readonly Field[], values: readonly string[]): Map<string, string> | undefined {
  const bound = new Map<string, string>();
  const go = (fi: number, vi: number): boolean => {
    if (fi === fields.length) return vi === values.length;
    const field = fields[fi]!;
    if (field.type === 'ellipsis') {
      for (let skip = 0; vi + skip <= values.length; skip++) if (go(fi + 1, vi + skip)) return true;
      return false;
    }
    const value = values[vi];
    if (value === undefined) return false;
    if (field.condition && !fieldMatches(field.condition, value)) return false;
    bound.set(field.name, value);
    if (go(fi + 1, vi + 1)) return true;
    bound.delete(field.name);
    return false;
  };
  return go(0, 0) ? bound : undefined;
}

function fieldMatches(expr: FieldExpr, value: string): boolean {
  switch (expr.type) {
    case 'and':
      return fieldMatches(expr.left, value) && fieldMatches(expr.right, value);
    case 'or':
      return fieldMatches(expr.left, value) || fieldMatches(expr.right, value);
    case 'compare':
      return compare(value, expr.op, expr.value);
  }
}
