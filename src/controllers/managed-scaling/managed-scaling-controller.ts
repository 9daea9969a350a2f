/**
 * ECS cluster auto scaling for a region: one key per Auto Scaling group capacity provider that a
 * cluster lists (`reconcile-provider.ts`). Task and container instance changes of a cluster enqueue
 * its providers (waiting tasks are placed as soon as an instance registers); capacity provider,
 * cluster and group changes trigger a resync; each pass asks to run again within the period.
 */
import type { Timers } from '../../core/timers.ts';
import type { MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { ClusterRecord } from '../../ecs/model/records.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { reconcileProvider } from './reconcile-provider.ts';

export const MANAGED_SCALING_RESYNC_MS = 30_000;

export interface ManagedScalingOptions {
  /** The metric period (AWS: 60 s; LONGSHORE_AUTOSCALING_PERIOD_SECONDS shortens it). */
  periodSeconds: number;
  publish(data: MetricDatum[]): Promise<void>;
  timers?: Timers;
  resyncMs?: number;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export class ManagedScalingController {
  readonly #ctx: EcsContext;
  readonly #keys: KeyedController;
  /** Cluster name -> the ASG capacity providers it lists (refreshed on every resync). */
  #byCluster = new Map<string, string[]>();
  #unwatch: (() => void) | undefined;

  constructor(ctx: EcsContext, o: ManagedScalingOptions) {
    this.#ctx = ctx;
    this.#keys = new KeyedController({
      name: 'managed scaling',
      keyLabel: 'capacityProvider',
      reconcile: (name) =>
        reconcileProvider(
          { ctx, periodMs: o.periodSeconds * 1000, publish: o.publish, ...(o.log ? { log: o.log } : {}) },
          name,
        ),
      enqueueAll: async (add) => {
        const providers = new Set((await ctx.store.list(Kind.CapacityProvider)).map((s) => s.key));
        const byCluster = new Map<string, string[]>();
        for (const c of await ctx.store.list<ClusterRecord>(Kind.Cluster)) {
          if (c.value.status !== 'ACTIVE') continue;
          const mine = c.value.capacityProviders.filter((p) => providers.has(p));
          if (mine.length > 0) byCluster.set(c.value.clusterName, mine);
          for (const p of mine) add(p);
        }
        this.#byCluster = byCluster;
      },
      resyncMs: o.resyncMs ?? MANAGED_SCALING_RESYNC_MS,
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unwatch = this.#ctx.store.watch((batch) => {
      let resync = batch.gap;
      for (const c of batch.changes) {
        if (c.kind === Kind.Task || c.kind === Kind.ContainerInstance) {
          for (const p of this.#byCluster.get(c.key.slice(0, c.key.indexOf('/'))) ?? []) this.#keys.add(p);
        } else if (c.kind === Kind.CapacityProvider || c.kind === Kind.Cluster) resync = true;
      }
      if (resync) this.#keys.resyncSoon();
    });
    await this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unwatch?.();
    await this.#keys.stop();
  }
}
