/** Task-level cpu/memory as numbers: ECS accepts "1024", "1 vCPU", "0.5 vcpu", "512", "1GB", "2 GB". */
import type { TaskAssignment } from '../../core/agent-protocol.ts';

/** One vCPU is 1024 CPU units. */
const UNITS_PER_VCPU = 1024;

/** CPU units, or undefined when absent or unparseable. */
export function parseCpuUnits(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  return Math.round(match[2] ? n * UNITS_PER_VCPU : n);
}

/** MiB, or undefined when absent or unparseable. */
export function parseMemoryMiB(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = match[2]?.toLowerCase();
  return Math.round(unit === 'gb' || unit === 'gib' ? n * 1024 : n);
}

export interface TaskLimits {
  cpuUnits?: number;
  memoryMiB?: number;
}

/** Task-level limits: RunTask's overrides win over the task definition. */
export function taskLimits(assignment: TaskAssignment): TaskLimits {
  return {
    cpuUnits: parseCpuUnits(assignment.overrides?.cpu ?? assignment.taskDefinition.cpu),
    memoryMiB: parseMemoryMiB(assignment.overrides?.memory ?? assignment.taskDefinition.memory),
  };
}

export type NetworkMode = 'bridge' | 'host' | 'none' | 'awsvpc';

/** ECS on Linux defaults to bridge when the task definition names no network mode. */
export function networkModeOf(assignment: TaskAssignment): string {
  return assignment.taskDefinition.networkMode ?? 'bridge';
}
