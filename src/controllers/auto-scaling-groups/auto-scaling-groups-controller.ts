/**
 * Keeps every Auto Scaling group of a region at its desired capacity (level-triggered): a change
 * to a group or one of its instances enqueues the group's name; a resync enqueues every group;
 * each pass (`reconcile-group.ts`) asks to run again soon while anything is in flight, and every
 * few seconds otherwise, so instances that died are noticed and replaced.
 */
import type { Timers } from '../../core/timers.ts';
import type { Launchers } from '../../autoscaling/model/launcher.ts';
import type { GroupRecord } from '../../autoscaling/model/records.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { reconcileGroup } from './reconcile-group.ts';

export const GROUPS_RESYNC_MS = 30_000;

export interface AutoScalingGroupsOptions {
  launchers: Launchers;
  timers?: Timers;
  resyncMs?: number;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export class AutoScalingGroupsController {
  readonly #ctx: EcsContext;
  readonly #keys: KeyedController;
  readonly #launching = new Set<string>();
  #unwatch: (() => void) | undefined;

  constructor(ctx: EcsContext, o: AutoScalingGroupsOptions) {
    this.#ctx = ctx;
    this.#keys = new KeyedController({
      name: 'auto scaling group',
      keyLabel: 'group',
      reconcile: (name) =>
        reconcileGroup(
          { ctx, launchers: o.launchers, launching: this.#launching, ...(o.log ? { log: o.log } : {}) },
          name,
        ),
      enqueueAll: async (add) => {
        for (const g of await ctx.store.list<GroupRecord>(Kind.AutoScalingGroup)) add(g.value.name);
      },
      resyncMs: o.resyncMs ?? GROUPS_RESYNC_MS,
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unwatch = this.#ctx.store.watch((batch) => {
      if (batch.gap) this.#keys.resyncSoon();
      for (const c of batch.changes) {
        if (c.kind === Kind.AutoScalingGroup) this.#keys.add(c.key);
        else if (c.kind === Kind.AutoScalingInstance) this.#keys.add(c.key.slice(0, c.key.lastIndexOf('/')));
      }
    });
    await this.#keys.resync();
  }

  /** Resolves once no pass is queued or running. */
  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unwatch?.();
    await this.#keys.stop();
  }
}
