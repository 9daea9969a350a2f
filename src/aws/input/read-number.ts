/**
 * Reads a JSON number into a model number type the way AWS JSON services (Coral) do: integer types
 * drop the fraction and saturate at their range; Long rejects what does not fit in 64 bits; Double
 * and Float take any number and the protocol's strings for NaN and the infinities.
 */
import { NumberKind } from './number-kinds.ts';
import { cannotConvert } from './serialization-errors.ts';

/**
 * Saturation bounds of the integer types. Coral reads a JSON number as a big decimal and narrows it
 * as Java narrows a double (JLS 5.1.3): toward zero, clamped at the type's bounds. Measured on AWS
 * by emulators that copy it: Athena reads `MaxResults: 1.5` as 1 and a `MaxResults` beyond 32 bits
 * reaches its range check (an Athena emulator's compatibility notes, measured 2026-09-23); DynamoDB
 * clamps an Integer at 2147483647 (dynalite, validations/index.js). So `desiredCount: 1.5` is 1 and
 * `stopTimeout: 1e308` is 2147483647, and each operation's own range checks see those values.
 */
const INTEGER_BOUNDS = {
  [NumberKind.Byte]: { min: -128, max: 127 },
  [NumberKind.Short]: { min: -32_768, max: 32_767 },
  [NumberKind.Integer]: { min: -2_147_483_648, max: 2_147_483_647 },
} as const;

/** Long is 64-bit signed; Athena answers a number outside it with SerializationException. */
const LONG_LIMIT = 2 ** 63;

/** The JSON strings the AWS JSON protocols use for non-numeric floats (Smithy, aws-json-1_1). */
const NON_NUMERIC_FLOATS: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/**
 * `value` as a number of `kind`, or SerializationException when it is not a number. With no kind
 * known (a service number-kinds.ts does not cover yet) any finite number is taken as sent.
 */
export function readNumber(kind: NumberKind | undefined, value: unknown): number {
  if (kind === undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw cannotConvert(value, NumberKind.Double);
    return value;
  }
  if (kind === NumberKind.Double || kind === NumberKind.Float) {
    if (typeof value === 'string' && Object.hasOwn(NON_NUMERIC_FLOATS, value))
      return NON_NUMERIC_FLOATS[value];
    if (typeof value !== 'number') throw cannotConvert(value, kind);
    return value;
  }
  // JSON has no NaN, but the Query and CBOR codecs can hand one over: no integer holds it.
  if (typeof value !== 'number' || Number.isNaN(value)) throw cannotConvert(value, kind);
  if (kind === NumberKind.Long) {
    // 2 ** 63 is exactly representable and one past Long.MAX_VALUE.
    if (!(value < LONG_LIMIT && value >= -LONG_LIMIT)) throw cannotConvert(value, kind);
    return Math.trunc(value);
  }
  const { min, max } = INTEGER_BOUNDS[kind];
  // JSON.parse turns 1e400 into Infinity: Java narrows that to the bound too.
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
