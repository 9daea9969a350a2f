/**
 * One emitter pass for one cursor key: the record and its cursor are read; when the record shows
 * something the cursor has not told, its events are published to the outbox and the cursor moves,
 * in ONE transaction (so an event exists exactly when its cursor has passed it). A cursor whose
 * record is gone is removed. Reads first outside any transaction: most passes find nothing to do.
 */
import type { EcsContext } from '../../ecs/model/context.ts';
import {
  type ContainerInstanceRecord,
  keys,
  type ServiceRecord,
  type TaskRecord,
} from '../../ecs/model/records.ts';
import { type EventEntry, publishEvents } from '../../events/model/publish-events.ts';
import { Kind, type Reader } from '../../store/store.ts';
import {
  CursorKind,
  type InstanceCursor,
  parseCursorKey,
  type ServiceCursor,
  type TaskCursor,
} from './cursors.ts';
import { instanceChanged, instanceCursor, instanceEntry } from './instance-events.ts';
import { serviceStep } from './service-step.ts';
import { taskStep } from './task-events.ts';

/** How one kind of record turns into events. */
export interface Emitter<R, C> {
  kind: Kind;
  /** True when `record` has something `cursor` has not told (cheap, pure). */
  due(ctx: EcsContext, record: R, cursor: C | undefined): boolean;
  /** The events and the next cursor, read in the pass's transaction. */
  build(
    ctx: EcsContext,
    reader: Reader,
    record: R,
    cursor: C | undefined,
  ): Promise<{ entries: EventEntry[]; cursor: C } | undefined>;
}

export const taskEmitter: Emitter<TaskRecord, TaskCursor> = {
  kind: Kind.Task,
  due: (_ctx, record, cursor) => taskStep(record, cursor, 0) !== undefined,
  build: async (ctx, _reader, record, cursor) => {
    const step = taskStep(record, cursor, ctx.clock.now());
    return step && { entries: step.entry ? [step.entry] : [], cursor: step.cursor };
  },
};

export const instanceEmitter: Emitter<ContainerInstanceRecord, InstanceCursor> = {
  kind: Kind.ContainerInstance,
  due: (_ctx, record, cursor) => instanceChanged(record, cursor),
  build: async (ctx, reader, record, cursor) => {
    if (!instanceChanged(record, cursor)) return undefined;
    const arn = record.instance.containerInstanceArn;
    const tasks = (await reader.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(record.clusterName) }))
      .map((t) => t.value)
      .filter((t) => t.task.containerInstanceArn === arn && t.task.lastStatus !== 'STOPPED');
    return { entries: [instanceEntry(record, tasks, ctx.clock.now())], cursor: instanceCursor(record) };
  },
};

export const serviceEmitter: Emitter<ServiceRecord, ServiceCursor> = {
  kind: Kind.Service,
  due: (ctx, record, cursor) => serviceStep(record, cursor, ctx.partition) !== undefined,
  build: async (ctx, _reader, record, cursor) => serviceStep(record, cursor, ctx.partition),
};

export function emitterFor(kind: CursorKind): Emitter<unknown, unknown> {
  switch (kind) {
    case CursorKind.Task:
      return taskEmitter as unknown as Emitter<unknown, unknown>;
    case CursorKind.ContainerInstance:
      return instanceEmitter as unknown as Emitter<unknown, unknown>;
    case CursorKind.Service:
      return serviceEmitter as unknown as Emitter<unknown, unknown>;
  }
}

/** Publishes what the cursor at `key` has not told yet; returns the number of events published. */
export async function emitStep(ctx: EcsContext, key: string): Promise<number> {
  const parsed = parseCursorKey(key);
  if (!parsed) return 0;
  const emitter = emitterFor(parsed.kind);
  const [record, cursor] = await Promise.all([
    ctx.store.get(emitter.kind, parsed.recordKey),
    ctx.store.get(Kind.EcsEventCursor, key),
  ]);
  if (record ? !emitter.due(ctx, record.value, cursor?.value) : !cursor) return 0;
  return ctx.store.transact(async (tx) => {
    const current = await tx.get(emitter.kind, parsed.recordKey);
    const told = await tx.get(Kind.EcsEventCursor, key);
    if (!current) {
      if (told) await tx.remove(Kind.EcsEventCursor, key, told.version);
      return 0;
    }
    const step = await emitter.build(ctx, tx, current.value, told?.value);
    if (!step) return 0;
    if (step.entries.length > 0) await publishEvents(tx, ctx, step.entries);
    await tx.put(Kind.EcsEventCursor, key, step.cursor, told ? told.version : 'absent');
    return step.entries.length;
  });
}
