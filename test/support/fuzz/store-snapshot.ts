/** Every record in a store as kind/key -> version, to prove a rejected call wrote nothing. */
import { Kind, type Store } from '../../../src/store/store.ts';

export type Snapshot = Map<string, number>;

const BACKGROUND = new Set<Kind>([Kind.EventOutbox, Kind.EventDelivery, Kind.EcsEventCursor]);

export async function snapshot(store: Store): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const kind of Object.values(Kind)) {
    // Metrics are written by background publishers (AWS/ECS every minute, the load balancers) on
    // their own clock, whatever the request; PutMetricData's own rejections are tested to write
    // nothing in test/cloudwatch/metrics-api.test.ts.
    if (kind === Kind.MetricSeries || kind === Kind.MetricBlock) continue;
    // Events are told and delivered in the background after the change that made them commits
    // (the ECS event emitters, the event-rules controller), so an earlier accepted call's events
    // may move while a later call is rejected.
    if (BACKGROUND.has(kind)) continue;
    for (const record of await store.list(kind)) out.set(`${kind} ${record.key}`, record.version);
  }
  return out;
}

/** The records created, changed or removed between two snapshots, e.g. `cluster default v1->v2`. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [id, version] of after) {
    const was = before.get(id);
    if (was !== version) out.push(`${id} v${was ?? '-'}->v${version}`);
  }
  for (const [id, version] of before) if (!after.has(id)) out.push(`${id} v${version}->removed`);
  return out;
}
