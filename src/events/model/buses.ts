/** Event buses: the `default` bus always exists (a record is made only when it gets a policy or tags). */
import { busName } from './publish-events.ts';
import type { Reader } from '../../store/store.ts';
import { Kind } from '../../store/store.ts';
import { notFound } from './errors.ts';
import { type BusRecord, busArn, DEFAULT_BUS, type EventsContext } from './records.ts';

/** The bus named by a name or ARN; undefined when it does not exist. */
export async function findBus(
  reader: Reader,
  ctx: Pick<EventsContext, 'partition'>,
  nameOrArn: string | undefined,
): Promise<BusRecord | undefined> {
  const name = busName(nameOrArn);
  const stored = await reader.get<BusRecord>(Kind.EventBus, name);
  if (stored) return stored.value;
  return name === DEFAULT_BUS ? defaultBus(ctx) : undefined;
}

/** The bus, or EventBridge's ResourceNotFoundException. */
export async function requireBus(
  reader: Reader,
  ctx: Pick<EventsContext, 'partition'>,
  nameOrArn: string | undefined,
): Promise<BusRecord> {
  const bus = await findBus(reader, ctx, nameOrArn);
  if (!bus) throw notFound(`Event bus ${busName(nameOrArn)} does not exist.`);
  return bus;
}

export function defaultBus(ctx: Pick<EventsContext, 'partition'>): BusRecord {
  return {
    name: DEFAULT_BUS,
    arn: busArn(ctx.partition, DEFAULT_BUS),
    tags: {},
    createdAt: 0,
    lastModifiedAt: 0,
  };
}
