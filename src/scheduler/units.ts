/** Parsing ECS's task-level cpu and memory strings ("1024", "1 vCPU", "2GB", "512 MiB"). */

/**
 * CPU units from a task-level `cpu`: `"256"` -> 256, `"1 vCPU"` -> 1024, `"0.25 vcpu"` -> 256.
 * Undefined or unparseable input gives undefined (the caller falls back to the container sum).
 */
export function parseCpuUnits(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] ? n * 1024 : n);
}

/**
 * MiB from a task-level `memory`: `"512"` -> 512, `"1GB"` / `"1 GiB"` -> 1024, `"0.5 GB"` -> 512,
 * `"512 MB"` -> 512 (ECS treats MB as MiB).
 */
export function parseMemoryMiB(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return Math.round(unit === 'gb' || unit === 'gib' ? n * 1024 : n);
}
