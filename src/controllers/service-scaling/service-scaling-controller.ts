/**
 * Service scaling: per region, the scalable targets of Application Auto Scaling. A change to a
 * target or to one of its scheduled actions enqueues the target; a pass (`reconcile-scalable-target.ts`)
 * runs due scheduled actions and enforces a changed min/max on the ECS service; each pass asks to
 * run again at the next occurrence, and a resync every 30 s enqueues every target.
 * Dynamic scaling does not go through here: CloudWatch's alarm actions invoke policies directly.
 */
import type { AutoScalingContext } from '../../application-autoscaling/model/index.ts';
import type { Timers } from '../../core/timers.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { reconcileScalableTarget } from './reconcile-scalable-target.ts';

export const SERVICE_SCALING_RESYNC_MS = 30_000;

export interface ServiceScalingOptions {
  timers?: Timers;
  resyncMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

/** A scheduled action's key starts with its target's (`namespace|resourceId|dimension|name`). */
const targetKeyOf = (key: string) => key.split('|').slice(0, 3).join('|');

export class ServiceScalingController {
  readonly #ctx: AutoScalingContext;
  readonly #keys: KeyedController;
  #unwatch: (() => void) | undefined;

  constructor(ctx: AutoScalingContext, options: ServiceScalingOptions = {}) {
    this.#ctx = ctx;
    this.#keys = new KeyedController({
      name: 'service scaling',
      keyLabel: 'scalable target',
      reconcile: (key) => reconcileScalableTarget(ctx, key),
      enqueueAll: async (add) => {
        for (const t of await ctx.store.list(Kind.ScalableTarget)) add(t.key);
      },
      resyncMs: options.resyncMs ?? SERVICE_SCALING_RESYNC_MS,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unwatch = this.#ctx.store.watch((batch) => {
      if (batch.gap) this.#keys.resyncSoon();
      for (const c of batch.changes) {
        if (c.kind === Kind.ScalableTarget && c.version !== undefined) this.#keys.add(c.key);
        else if (c.kind === Kind.ScheduledAction) this.#keys.add(targetKeyOf(c.key));
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
    this.#unwatch?.();
    await this.#keys.stop();
  }
}
