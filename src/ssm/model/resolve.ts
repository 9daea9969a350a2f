/**
 * What the agent-side work calls, without HTTP, to put an SSM parameter into a container's
 * environment: `valueFrom` as ECS container definitions write it, a parameter name or ARN
 * (optionally with a `:version` or `:label` selector), read with decryption as the ECS agent reads
 * it (GetParameters, WithDecryption). Missing parameters fail with ECS's text, which names them
 * and never a value.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock } from '../../core/clock.ts';
import type { ValueCipher } from '../../crypto/value-cipher.ts';
import type { Reader } from '../../store/store.ts';
import { getParameterRecord, parameterArn, parseSelector, selectVersion, versionValue } from './records.ts';

export const PARAMETERS_RESOLUTION_PREFIX =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s)';

export class ParameterResolutionError extends Error {
  /** The names that could not be read. */
  readonly invalid: readonly string[];
  constructor(invalid: readonly string[]) {
    super(`${PARAMETERS_RESOLUTION_PREFIX}: invalid ssm parameters: ${invalid.join(',')}`);
    this.name = 'ParameterResolutionError';
    this.invalid = invalid;
  }
}

export interface ParameterResolveContext {
  store: Reader;
  clock: Clock;
  partition: Partition;
  cipher: () => ValueCipher;
}

/** The region an SSM ARN names (the caller picks that region's store), or undefined for a name. */
export function parameterRegionOf(valueFrom: string): string | undefined {
  return /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):/.exec(valueFrom)?.[1];
}

/** The plaintext values of several `valueFrom`s at once; every missing one is named in one error. */
export async function resolveParameterValues(
  ctx: ParameterResolveContext,
  valueFroms: readonly string[],
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const invalid: string[] = [];
  for (const given of valueFroms) {
    try {
      const sel = parseSelector(ctx.partition, given);
      const p = await getParameterRecord(ctx.store, sel.name, sel.fromArn);
      if (!p) {
        invalid.push(given);
        continue;
      }
      values.set(
        given,
        versionValue(ctx.cipher(), parameterArn(ctx.partition, p.name), selectVersion(p, sel), true),
      );
    } catch {
      invalid.push(given);
    }
  }
  if (invalid.length > 0) throw new ParameterResolutionError(invalid);
  return values;
}

export async function resolveParameterValue(
  ctx: ParameterResolveContext,
  valueFrom: string,
): Promise<string> {
  return (await resolveParameterValues(ctx, [valueFrom])).get(valueFrom) as string;
}
