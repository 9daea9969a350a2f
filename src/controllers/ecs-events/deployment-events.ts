/**
 * `ECS Deployment State Change` from a service's deployments: an event each time a deployment's
 * rolloutState, reason or rollout start differs from what the cursor last saw. Pure.
 */
import type { EventEntry } from '../../events/model/publish-events.ts';
import type { ServiceSchedulerState } from '../../ecs/model/records.ts';
import { rollbackReason } from '../../ecs/model/services/circuit-breaker.ts';
import { RolloutState, type WireDeployment } from '../../ecs/model/services/deployments.ts';
import type { ServiceCursor } from './cursors.ts';
import { DeploymentEventName, DetailType, ECS_SOURCE, EventType } from './ecs-source.ts';

type Seen = ServiceCursor['deployments'];

const NAMES: Record<string, string> = {
  [RolloutState.InProgress]: DeploymentEventName.InProgress,
  [RolloutState.Completed]: DeploymentEventName.Completed,
  [RolloutState.Failed]: DeploymentEventName.Failed,
};

/** Terminal states first when two deployments' changes share a time: a failure before the rollback it starts. */
const ORDER: Record<string, number> = {
  [RolloutState.Failed]: 0,
  [RolloutState.Completed]: 0,
  [RolloutState.InProgress]: 1,
};

/**
 * The events since `seen`, oldest first, and what is seen afterwards (only deployments still in
 * the list are remembered). A deployment seen for the first time already COMPLETED or FAILED (it
 * began and ended between two passes, or while the emitter was down) first gets the IN_PROGRESS
 * event every deployment starts with; so does one whose rollout began again since it was seen (a
 * rollback returns to a COMPLETED deployment and moves its `rolloutStartedAt`), even when the
 * rollback completed before any pass saw it IN_PROGRESS. `fresh`: the service has no cursor yet,
 * so deployments that are already INACTIVE are history, not news.
 *
 * Example: seen {A: COMPLETED}; B created IN_PROGRESS -> B IN_PROGRESS. Then the breaker fails B
 * and rolls back to A -> B FAILED (ERROR), then A IN_PROGRESS "ECS deployment circuit breaker:
 * rolling back to deploymentId A.", then later A COMPLETED.
 */
export function deploymentEvents(
  serviceArn: string,
  deployments: readonly WireDeployment[],
  seen: Seen,
  fresh: boolean,
  times: Pick<ServiceSchedulerState, 'rolloutStartedAt' | 'finishedAt'> = {},
): { entries: EventEntry[]; seen: Seen } {
  const next: Seen = {};
  const timed: { entry: EventEntry; id: string; at: number; order: number; seq: number }[] = [];
  const push = (id: string, state: string, reason: string, at: number) =>
    timed.push({
      entry: entry(serviceArn, id, state, reason, at),
      id,
      at,
      order: ORDER[state] ?? 1,
      seq: timed.length,
    });
  for (const d of deployments) {
    const id = d.id ?? '';
    const state = d.rolloutState;
    if (!state || !NAMES[state]) continue;
    const reason = d.rolloutStateReason ?? '';
    const since = times.rolloutStartedAt?.[id] ?? (d.createdAt ?? 0) * 1000;
    next[id] = { state, reason, since };
    const before = seen[id];
    const restarted = before !== undefined && since > (before.since ?? since);
    if (before && !restarted && before.state === state && before.reason === reason) continue;
    if (!before && fresh && d.status === 'INACTIVE') continue;
    if (state === RolloutState.InProgress) {
      push(id, state, reason, since);
      continue;
    }
    if (restarted) push(id, RolloutState.InProgress, rollbackReason(id), since);
    else if (!before) push(id, RolloutState.InProgress, `ECS deployment ${id} in progress.`, since);
    push(id, state, reason, times.finishedAt?.[id] ?? (d.updatedAt ?? 0) * 1000);
  }
  // When each state was entered, not the deployment's updatedAt (counts move it long after).
  // At one time, one deployment's events stay together in their order, and a deployment whose
  // first event then is a failure goes before one that starts (the rollback it caused), even when
  // the rollback also completed in that same pass.
  const group = new Map<string, { order: number; seq: number }>();
  for (const t of timed) {
    const g = `${t.at}/${t.id}`;
    if (!group.has(g)) group.set(g, { order: t.order, seq: t.seq });
  }
  const of = (t: (typeof timed)[number]) => group.get(`${t.at}/${t.id}`) ?? { order: 1, seq: 0 };
  timed.sort((a, b) => a.at - b.at || of(a).order - of(b).order || of(a).seq - of(b).seq || a.seq - b.seq);
  return { entries: timed.map((t) => t.entry), seen: next };
}

function entry(
  serviceArn: string,
  id: string,
  state: string,
  reason: string,
  /** When the deployment entered `state`, epoch ms. */
  at: number,
): EventEntry {
  return {
    source: ECS_SOURCE,
    detailType: DetailType.Deployment,
    detail: {
      eventType: state === RolloutState.Failed ? EventType.Error : EventType.Info,
      eventName: NAMES[state],
      deploymentId: id,
      updatedAt: new Date(at).toISOString(),
      reason,
    },
    resources: [serviceArn],
    time: at,
  };
}
