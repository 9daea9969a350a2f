import type { Timers } from '../../core/timers.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { targetKey } from '../../elbv2/model/arns.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { considerAllTasks, watchTasks } from '../task-watch.ts';

export const TASK_TARGETS_RESYNC_MS = 30_000;

export interface TaskTargetsOptions {
  timers?: Timers;
  resyncMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class TaskTargetsController {
  readonly #ctx: EcsContext;
  readonly #o: TaskTargetsOptions;
  readonly #keys: KeyedController;
  /** ELBv2 target store key -> the task key that registered it. */
  readonly #byTarget = new Map<string, string>();
  #unsubscribe: (() => void) | undefined;
  #unwatch: (() => void) | undefined;

  constructor(ctx: EcsContext, options: TaskTargetsOptions = {}) {
    this.#ctx = ctx;
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'task targets',
      keyLabel: 'task',
      // Loaded with the first service task (it brings ELBv2's model): start-up does not pay for it.
      reconcile: async (key) => (await import('./reconcile-task-targets.ts')).reconcileTaskTargets(ctx, key),
      enqueueAll: async () => {
        this.#byTarget.clear();
        await considerAllTasks(ctx, (key, record) => this.#consider(key, record));
      },
      resyncMs: options.resyncMs ?? TASK_TARGETS_RESYNC_MS,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = watchTasks(
      this.#ctx,
      (key, record) => this.#consider(key, record),
      () => this.#keys.resyncSoon(),
      this.#o.log,
    );
    this.#unwatch = this.#ctx.store.watch((batch) => {
      for (const c of batch.changes) {
        if (c.kind !== Kind.Elbv2Target) continue;
        const task = this.#byTarget.get(c.key);
        if (task) this.#keys.add(task);
      }
    });
    await this.#keys.resync();
  }

  resync(): Promise<void> {
    return this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unwatch?.();
    await this.#keys.stop();
  }

  #consider(key: string, record: TaskRecord): void {
    if (!needsWork(record)) return;
    for (const t of record.targets?.targets ?? []) {
      const storeKey = targetKey(t.targetGroupArn, t.id, t.port);
      if (record.targets?.state === 'done') this.#byTarget.delete(storeKey);
      else this.#byTarget.set(storeKey, key);
    }
    this.#keys.add(key);
  }
}

/**
 * A service task that runs without targets yet (its service may have load balancers), or whose
 * targets are registered or draining.
 */
function needsWork(record: TaskRecord): boolean {
  if (!record.serviceName) return false;
  const state = record.targets?.state;
  if (state === undefined)
    return record.task.lastStatus === 'RUNNING' && record.task.desiredStatus !== 'STOPPED';
  return state !== 'done';
}
