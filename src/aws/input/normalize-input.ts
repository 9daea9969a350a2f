/**
 * Deserializes a decoded JSON request into exactly what the operation's input shape allows, as
 * AWS JSON services do before any handler runs: the handler sees no `null`, no unknown member and
 * only numbers of the member's type, and a value of the wrong JSON type is a SerializationException.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import { type NumberKind, numberKind } from './number-kinds.ts';
import { readNumber } from './read-number.ts';
import { cannotConvert } from './serialization-errors.ts';

/**
 * One step from the input down to a member: a structure member (its schema as the structure
 * names it), a list item (1-based, counted after dropped nulls) or a map value (its key and
 * 1-based position), each with the collection's schema.
 */
export type PathStep =
  | { type: 'member'; name: string; schema: NormalizedSchema }
  | { type: 'item'; index: number; list: NormalizedSchema }
  | { type: 'value'; key: string; index: number; map: NormalizedSchema };

/** Where a member is: the steps from the input to it (empty for the input itself). */
export type MemberPath = readonly PathStep[];

/** Members that are required but absent (after nulls are dropped), in the order of the shapes. */
export type MissingMembers = MemberPath[];

/** A member's Coral path, as AWS JSON services name it in validation messages: `tags.1.member.key`. */
export function coralPath(path: MemberPath): string {
  return path
    .map((step) =>
      step.type === 'member' ? step.name : step.type === 'item' ? `${step.index}.member` : step.key,
    )
    .join('.');
}

/** The way down, kept as a chain while walking (a step costs no copy), made a path when needed. */
export interface Trail {
  readonly up: Trail | undefined;
  readonly step: PathStep;
}

function pathOf(trail: Trail | undefined): MemberPath {
  const steps: PathStep[] = [];
  for (let t = trail; t; t = t.up) steps.push(t.step);
  return steps.reverse();
}

/**
 * `value` read as `ns`; `undefined` when it is `null` or absent.
 *
 * Null rules, in the AWS JSON protocols' terms:
 * - A structure member that is `null` is absent (Smithy protocol test
 *   AwsJson11ServersDontDeserializeNullStructureValues), so a required one is reported missing.
 * - A `null` item of a list, or value of a map, is dropped unless the collection has the `sparse`
 *   trait. Smithy only allows nulls in sparse collections; Coral services drop them rather than
 *   reject them (measured: Cognito answers `LogConfigurations: [null]` with `[]`,
 *   floci-io/floci#2867; Athena accepts `ExecutionParameters: [null]`), and the SDK's own JSON codec
 *   skips them too (@smithy/core protocols, `writeList`: `item == null && !sparse`).
 * - Members the shape does not have are ignored, as Coral ignores them.
 */
export function normalizeValue(
  ns: NormalizedSchema,
  value: unknown,
  missing: MissingMembers,
  path?: Trail,
  kind?: NumberKind,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isDocumentSchema()) return value;
  if (ns.isStructSchema()) return normalizeStruct(ns, value, missing, path);
  if (ns.isListSchema()) return normalizeList(ns, value, missing, path, kind);
  if (ns.isMapSchema()) return normalizeMap(ns, value, missing, path, kind);
  if (ns.isBooleanSchema()) return expect(typeof value === 'boolean', value, 'boolean');
  if (ns.isStringSchema()) return expect(typeof value === 'string', value, 'string');
  if (ns.isBlobSchema()) return expect(typeof value === 'string', value, 'blob');
  if (ns.isTimestampSchema()) return expect(Number.isFinite(value), value, 'timestamp');
  if (ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) return readNumber(undefined, value);
  if (ns.isNumericSchema()) return readNumber(kind, value);
  return value;
}

function normalizeStruct(
  ns: NormalizedSchema,
  value: unknown,
  missing: MissingMembers,
  path: Trail | undefined,
): Record<string, unknown> {
  if (!isObject(value)) throw cannotConvert(value, 'structure');
  // A static structure schema is [3, namespace, name, traits, memberNames, memberSchemas,
  // requiredCount]: the SDK lists the required members first.
  const requiredCount = Number((ns.getSchema() as unknown[])[6] ?? 0);
  const structure = ns.getName(true) ?? '';
  const out: Record<string, unknown> = {};
  let index = 0;
  for (const [name, member] of ns.structIterator()) {
    const memberPath: Trail = { up: path, step: { type: 'member', name, schema: member } };
    const given = Object.hasOwn(value, name) ? value[name] : undefined;
    const v = normalizeValue(member, given, missing, memberPath, numberKind(structure, name));
    if (v !== undefined) out[name] = v;
    else if (index < requiredCount) missing.push(pathOf(memberPath));
    index++;
  }
  return out;
}

function normalizeList(
  ns: NormalizedSchema,
  value: unknown,
  missing: MissingMembers,
  path: Trail | undefined,
  kind: NumberKind | undefined,
): unknown[] {
  if (!Array.isArray(value)) throw cannotConvert(value, 'list');
  const item = ns.getValueSchema();
  const sparse = isSparse(ns, item);
  const out: unknown[] = [];
  for (const v of value) {
    if (v === null) {
      if (sparse) out.push(null);
      continue;
    }
    const step: PathStep = { type: 'item', index: out.length + 1, list: ns };
    out.push(normalizeValue(item, v, missing, { up: path, step }, kind));
  }
  return out;
}

function normalizeMap(
  ns: NormalizedSchema,
  value: unknown,
  missing: MissingMembers,
  path: Trail | undefined,
  kind: NumberKind | undefined,
): Record<string, unknown> {
  if (!isObject(value)) throw cannotConvert(value, 'map');
  const item = ns.getValueSchema();
  const sparse = isSparse(ns, item);
  const entries: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === null) {
      if (sparse) entries.push([k, null]);
      continue;
    }
    const step: PathStep = { type: 'value', key: k, index: entries.length + 1, map: ns };
    entries.push([k, normalizeValue(item, v, missing, { up: path, step }, kind)]);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays a plain key.
  return Object.fromEntries(entries);
}

/** The SDK's JSON codec reads `sparse` from the collection, its XML codec from the member. */
function isSparse(collection: NormalizedSchema, item: NormalizedSchema): boolean {
  return !!collection.getMergedTraits().sparse || !!item.getMergedTraits().sparse;
}

function expect(ok: boolean, value: unknown, type: 'boolean' | 'string' | 'blob' | 'timestamp'): unknown {
  if (!ok) throw cannotConvert(value, type);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
