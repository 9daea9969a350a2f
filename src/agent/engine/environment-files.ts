/**
 * A container's `environmentFiles`, as the ECS agent resolves them at task start: each S3 object
 * (`arn:aws:s3:::bucket/key.env`) is fetched through `EnvironmentFileSource` (Longshore's S3, with
 * the agent's credentials until execution roles are served) and parsed the way the agent's
 * envfile resource does: a line starting with `#` is a comment, a line without `=` is skipped,
 * `NAME=VALUE` splits at the first `=`, and a line whose name or value is empty is skipped; nothing
 * is trimmed or unquoted. Within a file the last line for a name wins; across files the first file
 * that sets a name wins; `environment` wins over every file (container-spec.ts applies that).
 * A file that cannot be fetched stops the task with ECS's ResourceInitializationError.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { resourceInitializationError } from './reasons.ts';

export interface EnvironmentFileSource {
  /** The object's bytes; throws an error with `type` (the S3 error code) when S3 refuses. */
  getObject(bucket: string, key: string): Promise<Uint8Array>;
}

/** ECS allows ten files per container (RegisterTaskDefinition checks it too). */
export const MAX_ENVIRONMENT_FILES = 10;

export class EnvironmentFileError extends Error {}

/** `arn:aws:s3:::bucket/key` -> bucket and key; undefined when it is no S3 object ARN. */
export function parseS3Arn(arn: string): { bucket: string; key: string } | undefined {
  const m = /^arn:[\w-]+:s3:::([^/]+)\/(.+)$/.exec(arn);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** One file's variables, by the agent's rules (see the module comment). */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (name.length > 0 && value.length > 0) out[name] = value;
  }
  return out;
}

/** The merged variables of a container's files (first file wins), fetched in parallel. */
export async function resolveEnvironmentFiles(
  def: ContainerDefinition,
  source: EnvironmentFileSource | undefined,
): Promise<Record<string, string>> {
  const files = def.environmentFiles ?? [];
  if (files.length === 0) return {};
  const fail = (detail: string) =>
    new EnvironmentFileError(resourceInitializationError(`failed to download env files: ${detail}`));
  if (files.length > MAX_ENVIRONMENT_FILES) {
    throw fail(`a container can have at most ${MAX_ENVIRONMENT_FILES} environment files`);
  }
  if (!source) throw fail('this agent has no S3 endpoint to fetch them from');
  const results = await Promise.all(
    files.map(async (file) => {
      const ref = parseS3Arn(file.value ?? '');
      if (file.type !== 's3' || !ref) {
        return {
          error: `unable to parse bucket and key from s3 ARN specified in environmentFile ${file.value}`,
        };
      }
      try {
        const bytes = await source.getObject(ref.bucket, ref.key);
        return { vars: parseEnvironmentFile(Buffer.from(bytes).toString('utf8')) };
      } catch (error) {
        const type = (error as { type?: string }).type;
        const why = type ? `${type}: ${(error as Error).message}` : 'the S3 endpoint did not answer';
        return {
          error: `unable to download env file with key ${ref.key} from bucket ${ref.bucket}, error: ${why}`,
        };
      }
    }),
  );
  const errors = results.flatMap((r) => (r.error ? [r.error] : []));
  if (errors.length > 0) throw fail(errors.join(';'));
  const merged: Record<string, string> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.vars ?? {})) if (!(k in merged)) merged[k] = v;
  return merged;
}
