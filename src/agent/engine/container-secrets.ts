/**
 * A container's `secrets` as ECS resolves them when the task starts: each `valueFrom` is a
 * Secrets Manager secret ARN (optionally `:json-key:version-stage:version-id`) or a Parameter
 * Store parameter (name or ARN), fetched through `SecretSource` and injected as the variable
 * `name`. A secret that cannot be resolved fails the task with ECS's ResourceInitializationError
 * texts. Values never reach a log or a reason.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';

export interface SecretSource {
  getSecretValue(secretId: string, versionStage?: string, versionId?: string): Promise<string>;
  /** An S3 object's bytes, for environment files (environment-files.ts). */
  getObject?(bucket: string, key: string): Promise<Uint8Array>;
  getParameters(
    names: string[],
    region?: string,
  ): Promise<{ values: Map<string, string>; invalid: string[] }>;
}

export const SECRETS_FAILURE =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

export class SecretResolutionError extends Error {}

interface SecretRef {
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

/** `arn:aws:secretsmanager:region:account:secret:name[:json-key[:version-stage[:version-id]]]`. */
export function parseSecretRef(valueFrom: string): SecretRef | undefined {
  const parts = valueFrom.split(':');
  if (parts[2] !== 'secretsmanager' || parts[5] !== 'secret' || parts.length < 7) return undefined;
  const [jsonKey, versionStage, versionId] = parts.slice(7);
  return {
    secretId: parts.slice(0, 7).join(':'),
    ...(jsonKey ? { jsonKey } : {}),
    ...(versionStage ? { versionStage } : {}),
    ...(versionId ? { versionId } : {}),
  };
}

export async function resolveContainerSecrets(
  def: ContainerDefinition,
  source: SecretSource,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const parameters: { name: string; valueFrom: string }[] = [];
  for (const s of def.secrets ?? []) {
    const ref = parseSecretRef(s.valueFrom ?? '');
    if (!ref) {
      parameters.push({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' });
      continue;
    }
    let value: string;
    try {
      value = await source.getSecretValue(ref.secretId, ref.versionStage, ref.versionId);
    } catch (error) {
      throw new SecretResolutionError(
        `${SECRETS_FAILURE}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${ref.secretId} from secrets manager: ${(error as Error).name === 'SecretsCallError' ? `${(error as { type?: string }).type}: ${(error as Error).message}` : 'the control plane did not answer'}`,
      );
    }
    if (ref.jsonKey !== undefined) {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        doc = undefined;
      }
      const field =
        typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)[ref.jsonKey] : undefined;
      if (field === undefined) {
        throw new SecretResolutionError(
          `${SECRETS_FAILURE}: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key ${ref.jsonKey}`,
        );
      }
      value = typeof field === 'string' ? field : JSON.stringify(field);
    }
    env[s.name ?? ''] = value;
  }
  if (parameters.length > 0) {
    const byRegion = new Map<string, { name: string; valueFrom: string }[]>();
    for (const p of parameters) {
      const region = p.valueFrom.startsWith('arn:') ? p.valueFrom.split(':')[3] : '';
      byRegion.set(region, [...(byRegion.get(region) ?? []), p]);
    }
    for (const [region, list] of byRegion) {
      let got: { values: Map<string, string>; invalid: string[] };
      try {
        got = await source.getParameters(
          list.map((p) => p.valueFrom),
          region || undefined,
        );
      } catch (error) {
        throw new SecretResolutionError(
          `${SECRETS_FAILURE}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): ${(error as Error).name === 'SecretsCallError' ? `${(error as { type?: string }).type}: ${(error as Error).message}` : 'the control plane did not answer'}`,
        );
      }
      if (got.invalid.length > 0) {
        throw new SecretResolutionError(
          `${SECRETS_FAILURE}: invalid ssm parameters: ${got.invalid.join(',')}`,
        );
      }
      for (const p of list) env[p.name] = got.values.get(p.valueFrom) ?? '';
    }
  }
  return env;
}
