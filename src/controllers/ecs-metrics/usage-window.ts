/** The last minutes of task usage samples agents sent, in memory (samples, not records: a restart starts afresh). */
import type { TaskUsage } from '../../core/agent-protocol.ts';

/** Samples older than this are dropped (a publication covers the last minute). */
const KEEP_MS = 3 * 60_000;

interface Sample {
  at: number;
  cpuUnits: number;
  memoryMiB: number;
}

export class UsageWindow {
  readonly #samples = new Map<string, Sample[]>();

  record(at: number, tasks: readonly TaskUsage[]): void {
    for (const t of tasks) {
      const list = this.#samples.get(t.taskArn) ?? [];
      list.push({ at, cpuUnits: t.cpuUnits, memoryMiB: t.memoryMiB });
      this.#samples.set(t.taskArn, list);
    }
  }

  /** Each task's mean usage over samples taken in [from, to); tasks without one are left out. */
  averages(from: number, to: number): Map<string, { cpuUnits: number; memoryMiB: number }> {
    const out = new Map<string, { cpuUnits: number; memoryMiB: number }>();
    for (const [taskArn, list] of this.#samples) {
      const inside = list.filter((s) => s.at >= from && s.at < to);
      if (inside.length === 0) continue;
      out.set(taskArn, {
        cpuUnits: inside.reduce((n, s) => n + s.cpuUnits, 0) / inside.length,
        memoryMiB: inside.reduce((n, s) => n + s.memoryMiB, 0) / inside.length,
      });
    }
    return out;
  }

  /** Drops samples older than the window (and tasks left without any). */
  prune(now: number): void {
    for (const [taskArn, list] of this.#samples) {
      const kept = list.filter((s) => s.at >= now - KEEP_MS);
      if (kept.length === 0) this.#samples.delete(taskArn);
      else this.#samples.set(taskArn, kept);
    }
  }
}
