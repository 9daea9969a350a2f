/**
 * environmentFiles: ECS downloads `.env` files from S3; until Longshore has S3, the `value` of an
 * entry with type "s3" is a path on the agent's host. Lines are KEY=VALUE; blank lines and lines
 * starting with # are skipped (ECS's env-file rules).
 */
import { readFile } from 'node:fs/promises';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Merged variables of a container's files: the first file that sets a name wins (as the real agent). */
export async function readEnvironmentFiles(def: ContainerDefinition): Promise<Record<string, string>> {
  const merged: Record<string, string> = {};
  for (const file of def.environmentFiles ?? []) {
    const vars = parseEnvFile(await readFile(file.value ?? '', 'utf8'));
    for (const [k, v] of Object.entries(vars)) if (!(k in merged)) merged[k] = v;
  }
  return merged;
}
