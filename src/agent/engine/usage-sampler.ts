/**
 * Task resource usage from Docker stats, as the ECS agent samples it for CloudWatch: CPU in ECS
 * units (the container's CPU time over the interval / wall time x 1,024 per core, from Docker's
 * cpu_stats/precpu_stats pair), memory in MiB without the page cache (cgroup v1 `cache`, v2
 * `inactive_file`). One task's figure is its containers' sum. Pure but for the stats it is given.
 */
import type { TaskUsage } from '../../core/agent-protocol.ts';

/** The parts of Docker's stats answer this reads. */
export interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

const MIB = 1024 * 1024;

/** CPU units a container used between Docker's two samples (0 when Docker gave no previous one). */
export function cpuUnitsOf(s: DockerStats): number {
  const cpu = s.cpu_stats?.cpu_usage?.total_usage ?? 0;
  const prevCpu = s.precpu_stats?.cpu_usage?.total_usage ?? 0;
  const system = s.cpu_stats?.system_cpu_usage ?? 0;
  const prevSystem = s.precpu_stats?.system_cpu_usage ?? 0;
  const cores = s.cpu_stats?.online_cpus ?? 1;
  const cpuDelta = cpu - prevCpu;
  const systemDelta = system - prevSystem;
  if (prevCpu === 0 || cpuDelta <= 0 || systemDelta <= 0) return 0;
  // system_cpu_usage counts every core's time: the share of all cores, times the cores, is cores used.
  return (cpuDelta / systemDelta) * cores * 1024;
}

export function memoryMiBOf(s: DockerStats): number {
  const usage = s.memory_stats?.usage ?? 0;
  const stats = s.memory_stats?.stats ?? {};
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? stats.cache ?? 0;
  return Math.max(0, usage - cache) / MIB;
}

/** Sums each task's containers' stats (stats that failed are left out). */
export function taskUsage(
  taskArn: string,
  containers: readonly (DockerStats | undefined)[],
): TaskUsage | undefined {
  const got = containers.filter((s): s is DockerStats => s !== undefined);
  if (got.length === 0) return undefined;
  return {
    taskArn,
    cpuUnits: Math.round(got.reduce((n, s) => n + cpuUnitsOf(s), 0) * 100) / 100,
    memoryMiB: Math.round(got.reduce((n, s) => n + memoryMiBOf(s), 0) * 100) / 100,
  };
}
