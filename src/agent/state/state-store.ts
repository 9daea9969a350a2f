/**
 * The agent's persisted state in its data directory: one JSON file per task under `tasks/`
 * (written only by that task's actor, so writes never race) and `engine.json` for agent-wide
 * facts. Every write is atomic; the engine writes before it acts.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskState } from '../engine/task-state.ts';
import { taskIdOf } from '../engine/task-state.ts';
import { readJson, writeJsonAtomic } from './atomic-file.ts';

/** Bumped when the on-disk shape changes incompatibly. */
const SCHEMA_VERSION = 1;

interface TaskFile {
  schemaVersion: number;
  task: TaskState;
}

/** Agent-wide persisted facts. */
export interface EngineRecord {
  /** Images this agent pulled (ECS_IMAGE_PULL_BEHAVIOR=once pulls an image only the first time). */
  pulledImages: string[];
  /** Tasks cleaned up, with when: a replayed assignment for one of them must not start it again. */
  cleanedTasks: Record<string, number>;
}

export class StateStore {
  readonly #dir: string;
  readonly #durable: boolean;

  constructor(dataDir: string, options: { durable: boolean }) {
    this.#dir = dataDir;
    this.#durable = options.durable;
  }

  async init(): Promise<void> {
    await mkdir(join(this.#dir, 'tasks'), { recursive: true });
  }

  #taskPath(taskArn: string): string {
    return join(this.#dir, 'tasks', `${taskIdOf(taskArn).replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  }

  async loadTasks(): Promise<TaskState[]> {
    const dir = join(this.#dir, 'tasks');
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    const tasks: TaskState[] = [];
    for (const name of names) {
      const file = await readJson<TaskFile>(join(dir, name));
      if (!file) continue;
      if (file.schemaVersion !== SCHEMA_VERSION) {
        throw new Error(
          `state file ${name} has schema ${file.schemaVersion}; this agent reads ${SCHEMA_VERSION}`,
        );
      }
      tasks.push(file.task);
    }
    // Leftover temporaries from a write interrupted by a crash are garbage.
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.tmp'))) {
      await rm(join(dir, name), { force: true });
    }
    return tasks;
  }

  async saveTask(task: TaskState): Promise<void> {
    const file: TaskFile = { schemaVersion: SCHEMA_VERSION, task };
    await writeJsonAtomic(this.#taskPath(task.assignment.taskArn), file, this.#durable);
  }

  async deleteTask(taskArn: string): Promise<void> {
    await rm(this.#taskPath(taskArn), { force: true });
  }

  async loadEngine(): Promise<EngineRecord> {
    const record = await readJson<EngineRecord>(join(this.#dir, 'engine.json'));
    return { pulledImages: record?.pulledImages ?? [], cleanedTasks: record?.cleanedTasks ?? {} };
  }

  async saveEngine(record: EngineRecord): Promise<void> {
    await writeJsonAtomic(join(this.#dir, 'engine.json'), record, this.#durable);
  }
}
