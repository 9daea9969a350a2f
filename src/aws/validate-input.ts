/**
 * Reads a decoded JSON request as the operation's input shape from the official SDK's schema
 * (`@aws-sdk/client-*` exports them), the one place where request bodies become handler input:
 * member types, number types and ranges, nulls, unknown members, required members.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsErrorCode, ProtocolError } from './errors.ts';
import { coralPath, type MemberPath, type MissingMembers, normalizeValue } from './input/normalize-input.ts';
import { withoutNulls } from './input/without-nulls.ts';

// A schema as the SDK exports it (an opaque static-schema value or a lazy reference to one).
type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

/**
 * Required members a request lacks: `InvalidParameterException` with the Coral-style message AWS
 * JSON services use, listing every one. `missing` keeps where each is, so a service that words
 * it differently (EC2 names the first one as its Query parameter) can (operation-errors.ts).
 */
export class MissingMembersError extends ProtocolError {
  readonly missing: readonly MemberPath[];

  constructor(missing: readonly MemberPath[]) {
    const detail = missing.map(
      (p) => `Value null at '${coralPath(p)}' failed to satisfy constraint: Member must not be null`,
    );
    const n = missing.length;
    super(
      AwsErrorCode.InvalidParameter,
      `${n} validation error${n === 1 ? '' : 's'} detected: ${detail.join('; ')}`,
    );
    this.missing = missing;
  }
}

/**
 * Returns the input a handler may trust: no `null` anywhere (a null member is absent, a null list
 * item is dropped), no member the shape lacks, every number of its member's type (see
 * input/read-number.ts). Throws `SerializationException` for a value of the wrong JSON type (what
 * AWS JSON services answer when a body does not deserialize) and `MissingMembersError`
 * (`InvalidParameterException`) for missing required members.
 */
export function validateInput(schema: SchemaRef, input: Record<string, unknown>): Record<string, unknown> {
  const missing: MissingMembers = [];
  const out = normalizeValue(NormalizedSchema.of(schema), input, missing) as Record<string, unknown>;
  if (missing.length > 0) throw new MissingMembersError(missing);
  return out;
}

/** For operations without an SDK schema (Longshore's own): nulls still mean absent. */
export function withoutSchema(input: Record<string, unknown>): Record<string, unknown> {
  return withoutNulls(input) as Record<string, unknown>;
}
