/**
 * Checks a decoded JSON request against the operation's input shape from the official SDK's
 * schema (`@aws-sdk/client-*` exports them): member types, required members, unknown members.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { ApiError, ErrorType } from '../core/errors.ts';

// A schema as the SDK exports it (an opaque static-schema value or a lazy reference to one).
type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

/**
 * Throws `SerializationException` for a value of the wrong JSON type (what AWS JSON services
 * answer when a body does not deserialize) and `InvalidParameterException` for a missing
 * required member, with the Coral-style message AWS services use for the latter.
 */
export function validateInput(schema: SchemaRef, input: unknown): void {
  const missing: string[] = [];
  walk(NormalizedSchema.of(schema), input, '', missing);
  if (missing.length > 0) {
    const detail = missing.map(
      (p) => `Value null at '${p}' failed to satisfy constraint: Member must not be null`,
    );
    const n = missing.length;
    throw new ApiError(
      ErrorType.InvalidParameter,
      `${n} validation error${n === 1 ? '' : 's'} detected: ${detail.join('; ')}`,
    );
  }
}

function walk(ns: NormalizedSchema, value: unknown, path: string, missing: string[]): void {
  if (value === null || value === undefined) return;
  if (ns.isStructSchema()) {
    walkStruct(ns, value, path, missing);
    return;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) throw mismatch(path, value, 'list');
    const member = ns.getValueSchema();
    value.forEach((item, i) => {
      walk(member, item, `${path}.${i + 1}.member`, missing);
    });
    return;
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) throw mismatch(path, value, 'map');
    const member = ns.getValueSchema();
    for (const [k, v] of Object.entries(value)) walk(member, v, `${path}.${k}`, missing);
    return;
  }
  if (ns.isDocumentSchema()) return;
  if (ns.isBooleanSchema()) {
    if (typeof value !== 'boolean') throw mismatch(path, value, 'Boolean');
    return;
  }
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema() || ns.isTimestampSchema()) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(path, value, 'number');
    return;
  }
  if (ns.isStringSchema() || ns.isBlobSchema()) {
    if (typeof value !== 'string') throw mismatch(path, value, 'String');
  }
}

function walkStruct(ns: NormalizedSchema, value: unknown, path: string, missing: string[]): void {
  if (!isObject(value)) throw mismatch(path, value, 'structure');
  const raw = ns.getSchema() as unknown[];
  const requiredCount = typeof raw[6] === 'number' ? raw[6] : 0;
  let index = 0;
  for (const [name, member] of ns.structIterator()) {
    const memberPath = path ? `${path}.${name}` : name;
    const v = value[name];
    if (index < requiredCount && (v === undefined || v === null)) missing.push(memberPath);
    walk(member, v, memberPath, missing);
    index++;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mismatch(path: string, value: unknown, expected: string): ApiError {
  const found = Array.isArray(value)
    ? 'Start of list'
    : isObject(value)
      ? 'Start of structure or map'
      : 'A value';
  const where = path ? ` at '${path}'` : '';
  const text =
    found === 'A value'
      ? `${jsonKind(value)} can not be converted to ${expected}${where}`
      : `${found} found where not expected${where}`;
  return new ApiError(ErrorType.SerializationException, text);
}

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return 'VALUE';
}
