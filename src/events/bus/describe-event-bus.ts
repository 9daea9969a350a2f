/** DescribeEventBus and ListEventBuses: the `default` bus is always there, first in key order with the others. */
import type {
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { defaultBus, requireBus } from '../model/buses.ts';
import type { BusRecord, EventsContext } from '../model/records.ts';
import { DEFAULT_BUS } from '../model/records.ts';
import { page, seconds } from './paging.ts';

export async function describeEventBus(
  ctx: EventsContext,
  input: Wire<DescribeEventBusRequest>,
): Promise<Wire<DescribeEventBusResponse>> {
  const bus = await requireBus(ctx.store, ctx, input.Name);
  return busShape(bus);
}

export async function listEventBuses(
  ctx: EventsContext,
  input: Wire<ListEventBusesRequest>,
): Promise<Wire<ListEventBusesResponse>> {
  const stored = (await ctx.store.list<BusRecord>(Kind.EventBus)).map((s) => s.value);
  if (!stored.some((b) => b.name === DEFAULT_BUS)) stored.push(defaultBus(ctx));
  const buses = stored
    .filter((b) => b.name.startsWith(input.NamePrefix ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = page(buses, (b) => b.name, input);
  return { EventBuses: p.items.map(busShape), NextToken: p.nextToken };
}

function busShape(bus: BusRecord): Wire<EventBus> & Wire<DescribeEventBusResponse> {
  return {
    Name: bus.name,
    Arn: bus.arn,
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    ...(bus.deadLetterArn ? { DeadLetterConfig: { Arn: bus.deadLetterArn } } : {}),
    Policy: bus.policy,
    CreationTime: seconds(bus.createdAt),
    LastModifiedTime: seconds(bus.lastModifiedAt),
  };
}
