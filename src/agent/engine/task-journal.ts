/**
 * Persist, then report: assigns the next seq when the task's report changed, writes the task
 * (with that report) atomically, and only then hands the report to listeners. A restart that
 * reloads the file therefore never re-reports what was already reported, nor skips a seq.
 */
import type { TaskReport } from '../../core/agent-protocol.ts';
import type { StateStore } from '../state/state-store.ts';
import { buildReport, reportChanged } from './report.ts';
import type { TaskState } from './task-state.ts';

export class TaskJournal {
  readonly #store: StateStore;
  readonly #emit: (report: TaskReport) => void;
  /** The JSON last written, to skip writes that would change nothing. */
  #savedJson: string;

  /** `persisted`: the task was just loaded from disk as it is. */
  constructor(store: StateStore, emit: (report: TaskReport) => void, task: TaskState, persisted: boolean) {
    this.#store = store;
    this.#emit = emit;
    this.#savedJson = persisted ? JSON.stringify(task) : '';
  }

  async commit(task: TaskState): Promise<void> {
    const next = buildReport(task);
    let report: TaskReport | undefined;
    if (reportChanged(task.lastReport, next)) {
      report = { ...next, seq: (task.lastReport?.seq ?? 0) + 1 };
      task.lastReport = report;
    }
    const json = JSON.stringify(task);
    if (json !== this.#savedJson) {
      await this.#store.saveTask(task);
      this.#savedJson = json;
    }
    if (report) this.#emit(report);
  }
}
