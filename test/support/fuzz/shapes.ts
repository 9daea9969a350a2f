/**
 * Walks an operation's input schema (the SDK's, as the gateway validates with it): the places a
 * fuzzed value can go, the smallest valid value of each shape, and a request with one place changed.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import type { InputSchema } from '../../../src/aws/service.ts';

/** A member name or map key (string), or a list index (number). */
export type Segment = string | number;

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'number'
  | 'boolean'
  | 'blob'
  | 'timestamp'
  | 'document';

/** One place in a request: the path to it, its shape, and the member name that holds it. */
export interface Site {
  path: Segment[];
  shape: NormalizedSchema;
  type: ShapeType;
  member: string;
}

/** Plausible values for members by name (a cluster that exists ...): reaches past "not found". */
export type Hints = (member: string) => unknown;

/** Nesting below which no site is listed: ECS inputs are at most ~7 deep. */
const MAX_SITE_DEPTH = 8;
/** Past this depth a valid value stops filling optional containers (recursive shapes). */
const MAX_VALUE_DEPTH = 10;

export function shapeType(ns: NormalizedSchema): ShapeType {
  if (ns.isDocumentSchema()) return 'document';
  if (ns.isStructSchema()) return 'structure';
  if (ns.isListSchema()) return 'list';
  if (ns.isMapSchema()) return 'map';
  if (ns.isBooleanSchema()) return 'boolean';
  if (ns.isBlobSchema()) return 'blob';
  if (ns.isTimestampSchema()) return 'timestamp';
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) return 'number';
  return 'string';
}

export function rootShape(schema: InputSchema): NormalizedSchema {
  return NormalizedSchema.of(schema);
}

/** How many members of a structure are required (the SDK lists them first). */
export function requiredCount(ns: NormalizedSchema): number {
  return Number((ns.getSchema() as unknown[])[6] ?? 0);
}

/** Every place in the input shape, breadth first: lists through item 0, maps through key `k`. */
export function sites(root: NormalizedSchema): Site[] {
  const out: Site[] = [];
  const queue: Site[] = [{ path: [], shape: root, type: 'structure', member: '' }];
  for (let site = queue.shift(); site; site = queue.shift()) {
    if (site.path.length > 0) out.push(site);
    if (site.path.length >= MAX_SITE_DEPTH) continue;
    for (const [segment, shape, member] of children(site)) {
      queue.push({ path: [...site.path, segment], shape, type: shapeType(shape), member });
    }
  }
  return out;
}

function children(site: Site): [Segment, NormalizedSchema, string][] {
  if (site.type === 'structure') return [...site.shape.structIterator()].map(([n, s]) => [n, s, n]);
  if (site.type === 'list') return [[0, site.shape.getValueSchema(), site.member]];
  if (site.type === 'map') return [['k', site.shape.getValueSchema(), site.member]];
  return [];
}

/**
 * The smallest valid value of a shape: required members and the members `hints` has a value for
 * (so a request names the cluster that exists), one list item, one map entry.
 */
export function validValue(ns: NormalizedSchema, member: string, hints: Hints, depth = 0): unknown {
  const type = shapeType(ns);
  const hint = hints(member);
  switch (type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > MAX_VALUE_DEPTH) return out;
      const required = requiredCount(ns);
      let i = 0;
      for (const [name, m] of ns.structIterator()) {
        if (i++ < required || hints(name) !== undefined) out[name] = validValue(m, name, hints, depth + 1);
      }
      return out;
    }
    case 'list':
      return depth > MAX_VALUE_DEPTH ? [] : [validValue(ns.getValueSchema(), member, hints, depth + 1)];
    case 'map':
      return depth > MAX_VALUE_DEPTH ? {} : { k: validValue(ns.getValueSchema(), member, hints, depth + 1) };
    case 'string':
      return typeof hint === 'string' || typeof hint === 'number' ? String(hint) : 'fuzz';
    case 'number':
      return typeof hint === 'number' ? hint : 1;
    case 'boolean':
      return false;
    case 'blob':
      return 'ZnV6eg==';
    case 'timestamp':
      return 1_700_000_000;
    case 'document':
      return {};
  }
}

/**
 * A copy of `base` (a valid request) with `value` at `path`, filling the containers on the way
 * with valid values; `undefined` removes the member.
 */
export function withValueAt(
  root: NormalizedSchema,
  base: Record<string, unknown>,
  path: readonly Segment[],
  value: unknown,
  hints: Hints,
): Record<string, unknown> {
  const out = structuredClone(base);
  let container: Record<string | number, unknown> = out;
  let shape = root;
  let member = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const type = shapeType(shape);
    const child = type === 'structure' ? shape.getMemberSchema(String(segment)) : shape.getValueSchema();
    // List items and map values take their hints from the member that holds the collection.
    if (type === 'structure') member = String(segment);
    if (i === path.length - 1) {
      if (value === undefined) delete container[segment];
      else container[segment] = value;
      break;
    }
    if (container[segment] === undefined || container[segment] === null) {
      container[segment] = validValue(child, member, hints);
    }
    container = container[segment] as Record<string | number, unknown>;
    shape = child;
  }
  return out;
}
