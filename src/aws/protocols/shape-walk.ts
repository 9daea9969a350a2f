/** Schema-driven value conversions shared by the protocols: a structure walker and the text forms of scalars. */
import type { NormalizedSchema } from '@smithy/core/schema';

/** How to convert one value while walking. */
export interface Visitor {
  /** A scalar or a document; `value` is never null here. */
  leaf(ns: NormalizedSchema, value: unknown): unknown;
  /** The key a structure member has in the source object; default its member name. */
  readKey?(member: NormalizedSchema, name: string): string;
  /** The key it gets in the result; default its member name. */
  writeKey?(member: NormalizedSchema, name: string): string;
}

/**
 * Rebuilds `value` along `ns`. Handlers read and write the AWS JSON form (timestamps as epoch
 * seconds, blobs as base64 text); protocols convert to and from it with a visitor. Structure members that are null or absent are left out, members
 * the shape lacks are dropped; null list items and map values are kept (validation decides).
 * A value of the wrong kind (a string where a list belongs ...) passes through unchanged so that
 * validateInput reports it the way AWS does.
 */
export function walkShape(ns: NormalizedSchema, value: unknown, visitor: Visitor): unknown {
  if (value === null || value === undefined) return value;
  if (ns.isDocumentSchema()) return visitor.leaf(ns, value);
  if (ns.isStructSchema()) {
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const v = value[visitor.readKey?.(member, name) ?? name];
      if (v === null || v === undefined) continue;
      out[visitor.writeKey?.(member, name) ?? name] = walkShape(member, v, visitor);
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return value;
    const item = ns.getValueSchema();
    return value.map((v) => walkShape(item, v, visitor));
  }
  if (ns.isMapSchema()) {
    if (!isRecord(value)) return value;
    const item = ns.getValueSchema();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkShape(item, v, visitor)]));
  }
  return visitor.leaf(ns, value);
}

/** Where a scalar travels as text: its default timestamp format depends on it. */
export type TextPlace = 'query' | 'header' | 'label' | 'xml';

/** The parsed value, or undefined when the text is not a valid value of the shape. */
export function parseText(ns: NormalizedSchema, text: string, place: TextPlace): unknown {
  if (ns.isBooleanSchema()) return text === 'true' ? true : text === 'false' ? false : undefined;
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    if (/^(NaN|-?Infinity)$/.test(text)) return Number(text);
    const n = text.trim() === '' ? Number.NaN : Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (ns.isTimestampSchema()) {
    // Epoch seconds (`1700000000.5`) or any date AWS writes (ISO 8601, RFC 7231 HTTP date).
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    const ms = Date.parse(text);
    return Number.isFinite(ms) && timestampFormat(ns, place) !== 'epoch-seconds' ? ms / 1000 : undefined;
  }
  return text;
}

/** The text form of a JSON-form scalar. */
export function formatText(ns: NormalizedSchema, value: unknown, place: TextPlace): string {
  if (ns.isTimestampSchema() && typeof value === 'number') {
    const format = timestampFormat(ns, place);
    if (format === 'epoch-seconds') return String(value);
    const date = new Date(value * 1000);
    return format === 'http-date' ? date.toUTCString() : date.toISOString();
  }
  return typeof value === 'string' ? value : String(value);
}

/**
 * A timestamp's format: the member's `timestampFormat` trait (the SDK encodes it in the schema id:
 * 5 date-time, 6 http-date, 7 epoch-seconds), else the place's default (Smithy: date-time in
 * query strings, labels and XML, http-date in headers).
 */
export function timestampFormat(
  ns: NormalizedSchema,
  place: TextPlace,
): 'date-time' | 'http-date' | 'epoch-seconds' {
  const id = ns.getSchema();
  if (id === 5) return 'date-time';
  if (id === 6) return 'http-date';
  if (id === 7) return 'epoch-seconds';
  return place === 'header' ? 'http-date' : 'date-time';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
