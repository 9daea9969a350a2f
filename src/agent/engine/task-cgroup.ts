/**
 * Task-level cpu/memory as a parent cgroup (as the real agent's ECS_ENABLE_TASK_CPU_MEM_LIMIT):
 * `/longshore/<task-id>` gets the task's memory limit and CFS quota, and every container of the
 * task is created under it with CgroupParent, so the containers share one budget.
 *
 * This needs the daemon's cgroupfs driver on this host (unix socket) and a writable /sys/fs/cgroup.
 * Otherwise (systemd driver, remote daemon, read-only cgroupfs) the engine falls back to capping
 * each container at the whole task budget (see host-config.ts), and logs why once at start.
 */
import { mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeInfo } from '../docker/runtime.ts';
import type { TaskLimits } from './task-limits.ts';

const CGROUP_ROOT = '/sys/fs/cgroup';
const PREFIX = 'longshore';
/** CFS period; quota = cpu units / 1024 x period (1024 units = one full CPU). */
const CFS_PERIOD_US = 100_000;
const MIB = 1024 * 1024;

export interface TaskCgroups {
  /** Why limits are per container instead, when they are. */
  readonly fallbackReason?: string;
  /** Creates the task's cgroup and returns its CgroupParent; undefined when limits are per container. */
  create(taskId: string, limits: TaskLimits): Promise<string | undefined>;
  remove(taskId: string): Promise<void>;
}

export async function detectTaskCgroups(info: RuntimeInfo, root = CGROUP_ROOT): Promise<TaskCgroups> {
  if (!info.local) return perContainer('the Docker daemon is not on this host');
  if (info.cgroupDriver !== 'cgroupfs')
    return perContainer(`the Docker cgroup driver is ${info.cgroupDriver}`);
  const cgroups = new CgroupfsTaskCgroups(root, info.cgroupVersion);
  try {
    await cgroups.prepare();
  } catch (error) {
    return perContainer(`${root} is not writable (${(error as Error).message})`);
  }
  return cgroups;
}

function perContainer(reason: string): TaskCgroups {
  return {
    fallbackReason: reason,
    create: async () => undefined,
    remove: async () => {},
  };
}

class CgroupfsTaskCgroups implements TaskCgroups {
  readonly #root: string;
  readonly #version: '1' | '2';

  constructor(root: string, version: '1' | '2') {
    this.#root = root;
    this.#version = version;
  }

  async prepare(): Promise<void> {
    if (this.#version === '1') {
      await mkdir(join(this.#root, 'memory', PREFIX), { recursive: true });
      await mkdir(join(this.#root, 'cpu', PREFIX), { recursive: true });
      return;
    }
    await mkdir(join(this.#root, PREFIX), { recursive: true });
    await writeFile(join(this.#root, 'cgroup.subtree_control'), '+memory +cpu');
    await writeFile(join(this.#root, PREFIX, 'cgroup.subtree_control'), '+memory +cpu');
  }

  async create(taskId: string, limits: TaskLimits): Promise<string | undefined> {
    if (!limits.cpuUnits && !limits.memoryMiB) return undefined;
    const quota = limits.cpuUnits ? Math.round((limits.cpuUnits / 1024) * CFS_PERIOD_US) : undefined;
    if (this.#version === '1') {
      const mem = join(this.#root, 'memory', PREFIX, taskId);
      const cpu = join(this.#root, 'cpu', PREFIX, taskId);
      await mkdir(mem, { recursive: true });
      await mkdir(cpu, { recursive: true });
      if (limits.memoryMiB)
        await writeFile(join(mem, 'memory.limit_in_bytes'), String(limits.memoryMiB * MIB));
      if (quota) {
        await writeFile(join(cpu, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
        await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(quota));
      }
    } else {
      const dir = join(this.#root, PREFIX, taskId);
      await mkdir(dir, { recursive: true });
      if (limits.memoryMiB) await writeFile(join(dir, 'memory.max'), String(limits.memoryMiB * MIB));
      if (quota) await writeFile(join(dir, 'cpu.max'), `${quota} ${CFS_PERIOD_US}`);
    }
    return `/${PREFIX}/${taskId}`;
  }

  /** Removes the task's cgroup in every controller (runc creates it in all of them). */
  async remove(taskId: string): Promise<void> {
    const dirs =
      this.#version === '1'
        ? (await readdir(this.#root)).map((controller) => join(this.#root, controller, PREFIX, taskId))
        : [join(this.#root, PREFIX, taskId)];
    for (const dir of dirs) {
      try {
        await rmdir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      }
    }
  }
}

/**
 * Detects on first use, so the engine can start while the daemon is still down. A failed
 * detection (daemon unreachable) is not cached: the next task tries again.
 */
export function lazyTaskCgroups(
  info: () => Promise<RuntimeInfo>,
  onDetected: (cgroups: TaskCgroups) => void,
): TaskCgroups {
  let detected: Promise<TaskCgroups> | undefined;
  const get = (): Promise<TaskCgroups> => {
    detected ??= info()
      .then((i) => detectTaskCgroups(i))
      .then((cgroups) => {
        onDetected(cgroups);
        return cgroups;
      });
    detected.catch(() => {
      detected = undefined;
    });
    return detected;
  };
  return {
    create: async (taskId, limits) =>
      limits.cpuUnits || limits.memoryMiB ? (await get()).create(taskId, limits) : undefined,
    remove: async (taskId) => (await get()).remove(taskId),
  };
}
