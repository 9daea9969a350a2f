/**
 * Deserializes a decoded JSON request into exactly what the operation's input shape allows, as
 * AWS JSON services do before any handler runs: the handler sees no `null`, no unknown member and
 * only numbers of the member's type, and a value of the wrong JSON type is a SerializationException.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import { type NumberKind, numberKind } from './number-kinds.ts';
import { readNumber } from './read-number.ts';
import { cannotConvert } from './serialization-errors.ts';

/** Members that are required but absent (after nulls are dropped), as Coral paths. */
export type MissingMembers = string[];

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
  path: string,
  missing: MissingMembers,
  kind?: NumberKind,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isDocumentSchema()) return value;
  if (ns.isStructSchema()) return normalizeStruct(ns, value, path, missing);
  if (ns.isListSchema()) return normalizeList(ns, value, path, missing, kind);
  if (ns.isMapSchema()) return normalizeMap(ns, value, path, missing, kind);
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
  path: string,
  missing: MissingMembers,
): Record<string, unknown> {
  if (!isObject(value)) throw cannotConvert(value, 'structure');
  // A static structure schema is [3, namespace, name, traits, memberNames, memberSchemas,
  // requiredCount]: the SDK lists the required members first.
  const requiredCount = Number((ns.getSchema() as unknown[])[6] ?? 0);
  const structure = ns.getName(true) ?? '';
  const out: Record<string, unknown> = {};
  let index = 0;
  for (const [name, member] of ns.structIterator()) {
    const memberPath = path ? `${path}.${name}` : name;
    const given = Object.hasOwn(value, name) ? value[name] : undefined;
    const v = normalizeValue(member, given, memberPath, missing, numberKind(structure, name));
    if (v !== undefined) out[name] = v;
    else if (index < requiredCount) missing.push(memberPath);
    index++;
  }
  return out;
}

function normalizeList(
  ns: NormalizedSchema,
  value: unknown,
  path: string,
  missing: MissingMembers,
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
    out.push(normalizeValue(item, v, `${path}.${out.length + 1}.member`, missing, kind));
  }
  return out;
}

function normalizeMap(
  ns: NormalizedSchema,
  value: unknown,
  path: string,
  missing: MissingMembers,
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
    entries.push([k, normalizeValue(item, v, `${path}.${k}`, missing, kind)]);
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
