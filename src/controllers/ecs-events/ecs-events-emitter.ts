/**
 * ECS's events on the region's default event bus, level-triggered: a change to a task, container
 * instance or service enqueues that record's cursor key; a pass (`emit-step.ts`) publishes what
 * the record shows and its cursor has not told yet. A resync at start and every few minutes
 * compares every record with its cursor in memory and enqueues only those that differ, and the
 * cursors whose record is gone.
 */
import type { Timers } from '../../core/timers.ts';
import type { Change } from '../../ecs/model/changes.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { CursorKind, cursorKey } from './cursors.ts';
import { emitStep, emitterFor } from './emit-step.ts';

/** The change feed is what drives the emitters; the resync only catches what a gap lost. */
export const ECS_EVENTS_RESYNC_MS = 5 * 60_000;

export interface EcsEventsOptions {
  timers?: Timers;
  resyncMs?: number;
  workers?: number;
  log?: { warn(obj: object, msg: string): void };
}

const CURSOR_KINDS: Partial<Record<Change['kind'], CursorKind>> = {
  task: CursorKind.Task,
  'container-instance': CursorKind.ContainerInstance,
  service: CursorKind.Service,
};

export class EcsEventEmitter {
  readonly #ctx: EcsContext;
  readonly #keys: KeyedController;
  #unsubscribe: (() => void) | undefined;
  #published = 0;

  constructor(ctx: EcsContext, options: EcsEventsOptions = {}) {
    this.#ctx = ctx;
    this.#keys = new KeyedController({
      name: 'ECS events',
      keyLabel: 'cursor',
      reconcile: async (key) => {
        this.#published += await emitStep(ctx, key);
        return {};
      },
      enqueueAll: (add) => this.#enqueueDue(add),
      resyncMs: options.resyncMs ?? ECS_EVENTS_RESYNC_MS,
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#ctx.changes.subscribe(
      (change) => {
        const kind = CURSOR_KINDS[change.kind];
        if (kind) this.#keys.add(cursorKey(kind, change.key));
      },
      () => this.#keys.resyncSoon(),
    );
    await this.#keys.resync();
  }

  /** Events this emitter has published since it started. */
  get published(): number {
    return this.#published;
  }

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

  /** Two listings per kind (records, cursors), compared in memory: no per-record transaction. */
  async #enqueueDue(add: (key: string) => void): Promise<void> {
    const store = this.#ctx.store;
    for (const kind of Object.values(CursorKind)) {
      const emitter = emitterFor(kind);
      const cursors = new Map(
        (await store.list<unknown>(Kind.EcsEventCursor, { prefix: `${kind}/` })).map((c) => [c.key, c.value]),
      );
      for (const record of await store.list<unknown>(emitter.kind)) {
        const key = cursorKey(kind, record.key);
        const cursor = cursors.get(key);
        cursors.delete(key);
        if (emitter.due(this.#ctx, record.value, cursor)) add(key);
      }
      for (const orphan of cursors.keys()) add(orphan);
    }
  }
}
