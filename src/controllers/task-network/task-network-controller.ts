/**
 * The task network controller of one region: task changes enqueue the task when its ENI needs
 * something (attached once it runs, released once it is STOPPED); a resync at start and every
 * `resyncMs` enqueues every such task and deletes orphaned task ENIs.
 */
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { Kind } from '../../store/store.ts';
import { PeriodicResync } from '../periodic-resync.ts';
import { WorkQueue } from '../work-queue.ts';
import { reconcileTaskNetwork, sweepOrphanEnis } from './release-network.ts';

export const TASK_NETWORK_RESYNC_MS = 60_000;

export interface TaskNetworkOptions {
  timers?: Timers;
  resyncMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class TaskNetworkController {
  readonly #ctx: EcsContext;
  readonly #o: TaskNetworkOptions;
  readonly #queue: WorkQueue;
  readonly #resync: PeriodicResync;
  #unsubscribe: (() => void) | undefined;

  constructor(ctx: EcsContext, options: TaskNetworkOptions = {}) {
    this.#ctx = ctx;
    this.#o = options;
    const timers = options.timers ?? realTimers;
    this.#queue = new WorkQueue({
      reconcile: async (key) => {
        await reconcileTaskNetwork(ctx, key);
        return {};
      },
      timers,
      onError: (key, error) =>
        options.log?.warn({ task: key, error: describeError(error) }, 'task network reconcile failed'),
    });
    this.#resync = new PeriodicResync({
      timers,
      everyMs: options.resyncMs ?? TASK_NETWORK_RESYNC_MS,
      pass: () => this.#enqueueTasks(),
      onError: (error) => options.log?.warn({ error: describeError(error) }, 'task network resync failed'),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#ctx.changes.subscribe(
      (change) => {
        if (change.kind === 'task') this.#onTask(change.key);
      },
      () => this.#resync.soon(),
    );
    await this.resync();
  }

  /** Enqueues every task whose ENI needs work, deletes orphaned task ENIs, and schedules the next resync. */
  resync(): Promise<void> {
    return this.#resync.run();
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#resync.stop();
    await this.#queue.stop();
  }

  async #enqueueTasks(): Promise<void> {
    for (const { key, value } of await this.#ctx.store.list<TaskRecord>(Kind.Task)) {
      if (needsWork(value)) this.#queue.add(key);
    }
    const orphans = await sweepOrphanEnis(this.#ctx);
    if (orphans > 0) this.#o.log?.warn({ orphans }, 'deleted task ENIs that no task held');
  }

  #onTask(key: string): void {
    this.#ctx.store.get<TaskRecord>(Kind.Task, key).then(
      (stored) => {
        if (stored && needsWork(stored.value)) this.#queue.add(key);
      },
      (error: unknown) => this.#o.log?.warn({ error: describeError(error) }, 'loading a changed task failed'),
    );
  }
}

/** An unreleased ENI whose task stopped, or whose attachment has not caught up with a running task. */
function needsWork(record: TaskRecord): boolean {
  if (!record.network || record.network.released) return false;
  if (record.task.lastStatus === 'STOPPED') return true;
  const attachment = record.task.attachments?.find((a) => a.id === record.network?.attachmentId);
  return attachment?.status === 'PRECREATED' && record.task.lastStatus !== 'PROVISIONING';
}
