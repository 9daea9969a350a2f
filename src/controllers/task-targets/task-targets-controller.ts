/**
 * The task-targets controller of one region: service tasks in their load balancers' target
 * groups (reconcile-task-targets.ts). Task changes enqueue a service task whose targets need
 * something; a change to an ELBv2 target (health reported, a drain finished) enqueues the task
 * that registered it; a resync at start and every `resyncMs` enqueues every such task.
 */
import { describeError } from '../../core/errors.ts';
import type { Timers } from '../../core/timers.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { targetKey } from '../../elbv2/model/arns.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';

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
        for (const { key, value } of await ctx.store.list<TaskRecord>(Kind.Task)) this.#consider(key, value);
      },
      resyncMs: options.resyncMs ?? TASK_TARGETS_RESYNC_MS,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#ctx.changes.subscribe(
      (change) => {
        if (change.kind === 'task') this.#onTask(change.key);
      },
      () => this.#keys.resyncSoon(),
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

  #onTask(key: string): void {
    this.#ctx.store.get<TaskRecord>(Kind.Task, key).then(
      (stored) => {
        if (stored) this.#consider(key, stored.value);
      },
      (error: unknown) => this.#o.log?.warn({ error: describeError(error) }, 'loading a changed task failed'),
    );
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
