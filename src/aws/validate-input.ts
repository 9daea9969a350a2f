/**
 * Reads a decoded JSON request as the operation's input shape from the official SDK's schema
 * (`@aws-sdk/client-*` exports them), the one place where request bodies become handler input:
 * member types, number types and ranges, nulls, unknown members, required members.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsErrorCode, ProtocolError } from './errors.ts';
import { type MissingMembers, normalizeValue } from './input/normalize-input.ts';
import { withoutNulls } from './input/without-nulls.ts';

// A schema as the SDK exports it (an opaque static-schema value or a lazy reference to one).
type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

/**
 * Returns the input a handler may trust: no `null` anywhere (a null member is absent, a null list
 * item is dropped), no member the shape lacks, every number of its member's type (see
 * input/read-number.ts). Throws `SerializationException` for a value of the wrong JSON type (what
 * AWS JSON services answer when a body does not deserialize) and `InvalidParameterException` for
 * missing required members, with the Coral-style message AWS services use for the latter.
 */
export function validateInput(schema: SchemaRef, input: Record<string, unknown>): Record<string, unknown> {
  const missing: MissingMembers = [];
  const out = normalizeValue(NormalizedSchema.of(schema), input, '', missing) as Record<string, unknown>;
  if (missing.length > 0) {
    const detail = missing.map(
      (p) => `Value null at '${p}' failed to satisfy constraint: Member must not be null`,
    );
    const n = missing.length;
    throw new ProtocolError(
      AwsErrorCode.InvalidParameter,
      `${n} validation error${n === 1 ? '' : 's'} detected: ${detail.join('; ')}`,
    );
  }
  return out;
}

/** For operations without an SDK schema (Longshore's own): nulls still mean absent. */
export function withoutSchema(input: Record<string, unknown>): Record<string, unknown> {
  return withoutNulls(input) as Record<string, unknown>;
}
