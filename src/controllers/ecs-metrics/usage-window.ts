/** The last minutes of task usage samples agents sent, in memory (samples, not records: a restart starts afresh). */
import type { TaskUsage } from '../../core/agent-protocol.ts';

/** Samples older than this are dropped (a publication covers the last minute). */
const KEEP_MS = 3 * 60_000;

type Counter = 'networkRxBytes' | 'networkTxBytes' | 'storageReadBytes' | 'storageWriteBytes';
const COUNTERS: readonly Counter[] = [
  'networkRxBytes',
  'networkTxBytes',
  'storageReadBytes',
  'storageWriteBytes',
];

interface Sample extends Partial<Record<Counter, number>> {
  at: number;
  cpuUnits: number;
  memoryMiB: number;
}

/** One task over a period: mean CPU units and MiB; IO counters' growth (with the samples that carry them). */
export interface PeriodUsage {
  cpuUnits: number;
  memoryMiB: number;
  /** Bytes received / sent per second over the period. */
  networkRxBytesPerSecond?: number;
  networkTxBytesPerSecond?: number;
  /** Bytes read / written during the period. */
  storageReadBytes?: number;
  storageWriteBytes?: number;
}

export class UsageWindow {
  readonly #samples = new Map<string, Sample[]>();

  record(at: number, tasks: readonly TaskUsage[]): void {
    for (const t of tasks) {
      const list = this.#samples.get(t.taskArn) ?? [];
      const sample: Sample = { at, cpuUnits: t.cpuUnits, memoryMiB: t.memoryMiB };
      for (const c of COUNTERS) {
        const v = t[c];
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0) sample[c] = v;
      }
      list.push(sample);
      this.#samples.set(t.taskArn, list);
    }
  }

  /**
   * Each task's usage over samples taken in [from, to); tasks without one are left out. A counter
   * grows from the last sample before `from` (else the first inside) to the last inside (a single
   * reading gives no figure); a counter that went down (the container restarted) counts from zero.
   */
  averages(from: number, to: number): Map<string, PeriodUsage> {
    const out = new Map<string, PeriodUsage>();
    for (const [taskArn, list] of this.#samples) {
      const inside = list.filter((s) => s.at >= from && s.at < to);
      if (inside.length === 0) continue;
      const usage: PeriodUsage = {
        cpuUnits: inside.reduce((n, s) => n + s.cpuUnits, 0) / inside.length,
        memoryMiB: inside.reduce((n, s) => n + s.memoryMiB, 0) / inside.length,
      };
      const before = list.filter((s) => s.at < from).at(-1);
      const last = inside.at(-1) as Sample;
      for (const c of COUNTERS) {
        const end = last[c];
        if (end === undefined) continue;
        const base = before?.[c] !== undefined ? before : inside.find((s) => s[c] !== undefined);
        // One reading alone tells no growth: the period gets no figure.
        if (!base || base === last) continue;
        const start = base[c] ?? end;
        const grown = end >= start ? end - start : end;
        if (c === 'networkRxBytes' || c === 'networkTxBytes') {
          // A rate over the time the counter was watched (the whole period when a sample precedes it).
          const seconds = (last.at - base.at) / 1000;
          usage[`${c}PerSecond`] = seconds > 0 ? grown / seconds : 0;
        } else usage[c] = grown;
      }
      out.set(taskArn, usage);
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
