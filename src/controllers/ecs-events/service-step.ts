/**
 * What a service's cursor says is still to be told: deployment state changes, then the actions
 * of the service events written since the cursor's newest one (oldest first). Pure.
 */
import type { ServiceEvent } from '@aws-sdk/client-ecs';
import type { Partition } from '../../core/arn.ts';
import type { Wire } from '../../core/wire.ts';
import type { EventEntry } from '../../events/model/publish-events.ts';
import type { ServiceRecord } from '../../ecs/model/records.ts';
import type { ServiceCursor } from './cursors.ts';
import { deploymentEvents } from './deployment-events.ts';
import { serviceActions } from './service-actions.ts';

export interface ServiceStep {
  entries: EventEntry[];
  cursor: ServiceCursor;
}

/** Undefined when the cursor is current (nothing to publish, nothing to remember). */
export function serviceStep(
  record: ServiceRecord,
  cursor: ServiceCursor | undefined,
  partition: Partition,
): ServiceStep | undefined {
  const s = record.service;
  const deployments = deploymentEvents(
    s.serviceArn ?? '',
    s.deployments ?? [],
    cursor?.deployments ?? {},
    !cursor,
    record.scheduler,
  );
  const fresh = newEvents(s.events ?? [], cursor);
  const entries = [...deployments.entries, ...fresh.flatMap((e) => serviceActions(record, e, partition))];
  const newest = s.events?.[0];
  const next: ServiceCursor = {
    ...(newest?.id ? { lastEventId: newest.id, lastEventAt: newest.createdAt ?? 0 } : {}),
    deployments: deployments.seen,
  };
  if (cursor && entries.length === 0 && sameCursor(cursor, next)) return undefined;
  return { entries, cursor: next };
}

/**
 * Service events newer than the cursor's, oldest first. The list is newest first and keeps 100:
 * the cursor's event is looked up by id; when it has been trimmed away (over 100 events between
 * two passes), everything not older than it is new (its own id excluded).
 */
export function newEvents(
  events: readonly Wire<ServiceEvent>[],
  cursor: ServiceCursor | undefined,
): Wire<ServiceEvent>[] {
  if (!cursor?.lastEventId) return [...events].reverse();
  const at = events.findIndex((e) => e.id === cursor.lastEventId);
  const newer =
    at >= 0
      ? events.slice(0, at)
      : events.filter((e) => (e.createdAt ?? 0) >= (cursor.lastEventAt ?? 0) && e.id !== cursor.lastEventId);
  return newer.reverse();
}

function sameCursor(a: ServiceCursor, b: ServiceCursor): boolean {
  if (a.lastEventId !== b.lastEventId) return false;
  const ak = Object.keys(a.deployments);
  const bk = Object.keys(b.deployments);
  if (ak.length !== bk.length) return false;
  return ak.every(
    (k) =>
      b.deployments[k]?.state === a.deployments[k].state &&
      b.deployments[k]?.reason === a.deployments[k].reason &&
      b.deployments[k]?.since === a.deployments[k].since,
  );
}
