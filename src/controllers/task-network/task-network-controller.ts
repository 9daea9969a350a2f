import type { Timers } from '../../core/timers.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { KeyedController } from '../keyed-controller.ts';
import { considerAllTasks, watchTasks } from '../task-watch.ts';
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
  readonly #keys: KeyedController;
  #unsubscribe: (() => void) | undefined;

  constructor(ctx: EcsContext, options: TaskNetworkOptions = {}) {
    this.#ctx = ctx;
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'task network',
      keyLabel: 'task',
      reconcile: async (key) => {
        await reconcileTaskNetwork(ctx, key);
        return {};
      },
      // Every task whose ENI needs work, and task ENIs no task holds (deleted).
      enqueueAll: async (add) => {
        await considerAllTasks(ctx, (key, record) => {
          if (needsWork(record)) add(key);
        });
        const orphans = await sweepOrphanEnis(ctx);
        if (orphans > 0) options.log?.warn({ orphans }, 'deleted task ENIs that no task held');
      },
      resyncMs: options.resyncMs ?? TASK_NETWORK_RESYNC_MS,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = watchTasks(
      this.#ctx,
      (key, record) => {
        if (needsWork(record)) this.#keys.add(key);
      },
      () => this.#keys.resyncSoon(),
      this.#o.log,
    );
    await this.resync();
  }

  /** Enqueues every task whose ENI needs work, deletes orphaned task ENIs, and schedules the next resync. */
  resync(): Promise<void> {
    return this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#keys.stop();
  }
}

/** An unreleased ENI whose task stopped, or whose attachment has not caught up with a running task. */
function needsWork(record: TaskRecord): boolean {
  if (!record.network || record.network.released) return false;
  if (record.task.lastStatus === 'STOPPED') return true;
  const attachment = record.task.attachments?.find((a) => a.id === record.network?.attachmentId);
  return attachment?.status === 'PRECREATED' && record.task.lastStatus !== 'PROVISIONING';
}
