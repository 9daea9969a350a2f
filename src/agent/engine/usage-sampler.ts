/**
 * Task resource usage from Docker stats, as the ECS agent samples it for CloudWatch: CPU in ECS
 * units (the container's CPU time over the interval / wall time x 1,024 per core, from Docker's
 * cpu_stats/precpu_stats pair), memory in MiB without the page cache (cgroup v1 `cache`, v2
 * `inactive_file`); network and block IO bytes as counters since the container started (for
 * Container Insights). One task's figure is its containers' sum. Pure but for the stats it is given.
 */
import type { TaskUsage } from '../../core/agent-protocol.ts';

/** The parts of Docker's stats answer this reads. */
export interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
  /** Per interface (bridge networking; none with `host` or `none`). */
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  /** cgroup v1 names the ops `Read`/`Write`, v2 `read`/`write`; one entry per device. */
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
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

/** Bytes received and sent since the container started, over its interfaces. */
export function networkBytesOf(s: DockerStats): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  return { rx, tx };
}

/** Bytes read from and written to block devices since the container started. */
export function storageBytesOf(s: DockerStats): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op?.toLowerCase();
    if (op === 'read') read += e.value ?? 0;
    else if (op === 'write') write += e.value ?? 0;
  }
  return { read, write };
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
    networkRxBytes: got.reduce((n, s) => n + networkBytesOf(s).rx, 0),
    networkTxBytes: got.reduce((n, s) => n + networkBytesOf(s).tx, 0),
    storageReadBytes: got.reduce((n, s) => n + storageBytesOf(s).read, 0),
    storageWriteBytes: got.reduce((n, s) => n + storageBytesOf(s).write, 0),
  };
}
