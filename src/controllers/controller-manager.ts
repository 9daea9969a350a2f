/**
 * Runs the controllers: change-feed events only enqueue keys (a service, the service of a task,
 * every service of a cluster whose instances changed), a periodic resync enqueues every service,
 * and the service reconciler does the rest from the store.
 */
import { describeError } from '../core/errors.ts';
import type { Change } from '../ecs/model/changes.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { keys, type ServiceRecord, type TaskRecord } from '../ecs/model/records.ts';
import { Kind } from '../store/store.ts';
import {
  DEFAULT_SERVICE_CONTROLLER_OPTIONS,
  reconcileService,
  type ServiceControllerOptions,
} from './service/reconcile-service.ts';
import { realTimers } from '../core/system.ts';
import type { Timers } from '../core/timers.ts';
import { PeriodicResync } from './periodic-resync.ts';
import { WorkQueue } from './work-queue.ts';

/** Every service is looked at this often even when nothing announced a change (Kubernetes' resync). */
export const DEFAULT_RESYNC_MS = 30_000;

export interface ControllerOptions {
  resyncMs?: number;
  workers?: number;
  service?: Partial<ServiceControllerOptions>;
  timers?: Timers;
  log?: { warn(obj: object, msg: string): void };
}

export class ControllerManager {
  readonly #ctx: EcsContext;
  readonly #o: ControllerOptions;
  readonly #queue: WorkQueue;
  readonly #resync: PeriodicResync;
  /** Task key -> service key ('' for standalone tasks); a task never changes service. */
  readonly #owner = new Map<string, string>();
  /**
   * Clusters that have (or recently had) a service: task changes elsewhere cost nothing, which
   * keeps RunTask-heavy clusters free of lookups. Grows on service changes and resyncs.
   */
  readonly #serviceClusters = new Set<string>();
  #unsubscribe: (() => void) | undefined;

  constructor(ctx: EcsContext, options: ControllerOptions = {}) {
    this.#ctx = ctx;
    this.#o = options;
    const timers = options.timers ?? realTimers;
    const service = { ...DEFAULT_SERVICE_CONTROLLER_OPTIONS, ...options.service };
    this.#queue = new WorkQueue({
      reconcile: (key) => reconcileService(ctx, key, service),
      workers: options.workers,
      timers,
      onError: (key, error) =>
        options.log?.warn({ service: key, error: describeError(error) }, 'service reconcile failed'),
    });
    this.#resync = new PeriodicResync({
      timers,
      everyMs: options.resyncMs ?? DEFAULT_RESYNC_MS,
      pass: () => this.#enqueueServices(),
      onError: (error) => options.log?.warn({ error: describeError(error) }, 'controller resync failed'),
    });
  }

  /** Subscribes to changes and enqueues every service once (picking up a rollout a crash interrupted). */
  async start(): Promise<void> {
    this.#unsubscribe = this.#ctx.changes.subscribe(
      (change) => this.#onChange(change),
      () => this.#resyncSoon(),
    );
    await this.resync();
  }

  /** Enqueues every ACTIVE or DRAINING service, and schedules the next resync. */
  resync(): Promise<void> {
    return this.#resync.run();
  }

  /** Resolves once no reconcile is queued or running (delayed requeues do not count). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#resync.stop();
    await this.#queue.stop();
  }

  async #enqueueServices(): Promise<void> {
    const services = await this.#ctx.store.list<ServiceRecord>(Kind.Service);
    for (const s of services) {
      if (s.value.service.status === 'INACTIVE') continue;
      this.#serviceClusters.add(s.value.clusterName);
      this.#queue.add(s.key);
    }
    if (this.#owner.size > 10_000) this.#owner.clear();
  }

  /** Changes were lost (the store was cleared): look at every service again. */
  #resyncSoon(): void {
    this.#owner.clear();
    this.#resync.soon();
  }

  #onChange(change: Change): void {
    if (change.kind === 'service') {
      this.#serviceClusters.add(change.cluster);
      this.#queue.add(change.key);
    } else if (change.kind === 'task') {
      if (this.#serviceClusters.has(change.cluster)) this.#onTask(change.key);
    } else if (change.kind === 'container-instance' || change.kind === 'cluster')
      this.#onCluster(change.cluster);
  }

  #onTask(key: string): void {
    const known = this.#owner.get(key);
    if (known !== undefined) {
      if (known) this.#queue.add(known);
      return;
    }
    this.#ctx.store.get<TaskRecord>(Kind.Task, key).then(
      (task) => {
        if (!task) return;
        const owner = task.value.serviceName
          ? keys.service(task.value.clusterName, task.value.serviceName)
          : '';
        this.#owner.set(key, owner);
        if (owner) this.#queue.add(owner);
      },
      (error: unknown) => this.#o.log?.warn({ error: describeError(error) }, 'loading a changed task failed'),
    );
  }

  /** Instances came, went or changed state: daemons place and draining moves tasks, in every service. */
  #onCluster(cluster: string): void {
    if (!this.#serviceClusters.has(cluster)) return;
    this.#ctx.store.list<ServiceRecord>(Kind.Service, { prefix: keys.inCluster(cluster) }).then(
      (services) => {
        for (const s of services) if (s.value.service.status !== 'INACTIVE') this.#queue.add(s.key);
      },
      (error: unknown) => this.#o.log?.warn({ error: describeError(error) }, 'listing services failed'),
    );
  }
}
