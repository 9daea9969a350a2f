/** UpdateEventBus: description, KMS key and dead-letter queue of a bus (the default bus gets a record). */
import type { UpdateEventBusRequest, UpdateEventBusResponse } from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import type { BusRecord, EventsContext } from '../model/records.ts';

export async function updateEventBus(
  ctx: EventsContext,
  input: Wire<UpdateEventBusRequest>,
): Promise<Wire<UpdateEventBusResponse>> {
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.Name);
    const stored = await tx.get<BusRecord>(Kind.EventBus, bus.name);
    const now = ctx.clock.now();
    const next: BusRecord = {
      ...bus,
      createdAt: bus.createdAt || now,
      lastModifiedAt: now,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
      ...(input.DeadLetterConfig !== undefined ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
    };
    await tx.put(Kind.EventBus, bus.name, next, stored ? stored.version : 'absent');
    return {
      Arn: next.arn,
      Name: next.name,
      Description: next.description,
      KmsKeyIdentifier: next.kmsKeyIdentifier,
      ...(next.deadLetterArn ? { DeadLetterConfig: { Arn: next.deadLetterArn } } : {}),
    };
  });
}
