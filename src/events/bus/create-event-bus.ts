/** CreateEventBus: a custom bus; `default` always exists, partner event sources do not exist here. */
import type { CreateEventBusRequest, CreateEventBusResponse } from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { alreadyExists, limitExceeded, notFound, validation } from '../model/errors.ts';
import { checkBusName } from '../model/names.ts';
import { type BusRecord, busArn, DEFAULT_BUS, type EventsContext } from '../model/records.ts';
import { tagMap } from './tags-input.ts';

/** EventBridge's quota of event buses per account and Region. */
export const MAX_BUSES = 100;

export async function createEventBus(
  ctx: EventsContext,
  input: Wire<CreateEventBusRequest>,
): Promise<Wire<CreateEventBusResponse>> {
  const name = checkBusName(input.Name);
  if (input.EventSourceName !== undefined) {
    throw notFound(`Event source ${input.EventSourceName} does not exist.`);
  }
  if (name.includes('/')) throw validation("Event bus name must not contain '/'.");
  if (name === DEFAULT_BUS) throw alreadyExists(`Event bus ${name} already exists.`);
  const tags = tagMap(input.Tags);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.EventBus, name)) throw alreadyExists(`Event bus ${name} already exists.`);
    const count = (await tx.list(Kind.EventBus)).filter((b) => b.key !== DEFAULT_BUS).length;
    if (count >= MAX_BUSES) throw limitExceeded();
    const record: BusRecord = {
      name,
      arn: busArn(ctx.partition, name),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
      ...(input.DeadLetterConfig?.Arn !== undefined ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
      tags,
      createdAt: now,
      lastModifiedAt: now,
    };
    await tx.put(Kind.EventBus, name, record, 'absent');
    return {
      EventBusArn: record.arn,
      Description: record.description,
      KmsKeyIdentifier: record.kmsKeyIdentifier,
      ...(record.deadLetterArn ? { DeadLetterConfig: { Arn: record.deadLetterArn } } : {}),
    };
  });
}
