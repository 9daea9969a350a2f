/** Keeps the service controller's per-deployment bookkeeping in step with the deployment list. Pure. */
import type { ServiceSchedulerState } from '../../ecs/model/records.ts';
import { DeploymentStatus, RolloutState, type WireDeployment } from '../../ecs/model/services/deployments.ts';

/**
 * Records when deployments COMPLETED, which deployments each one replaced (the first time it is
 * seen: the others still visible then), and forgets deployments no longer in the list. Example:
 * A COMPLETED, B appears -> sources[B] = [A]; B completes at t -> finishedAt[B] = t.
 */
export function bookkeep(
  state: ServiceSchedulerState,
  before: readonly WireDeployment[],
  after: readonly WireDeployment[],
  now: number,
): ServiceSchedulerState {
  const ids = new Set(after.map((d) => d.id ?? ''));
  const visible = after.filter((d) => d.status !== DeploymentStatus.Inactive);
  const next: ServiceSchedulerState = {};
  const keep = <T>(r: Record<string, T> | undefined): Record<string, T> | undefined => {
    const entries = Object.entries(r ?? {}).filter(([id]) => ids.has(id));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  const sources = { ...keep(state.sources) };
  for (const d of visible) {
    if (d.id && !(d.id in sources)) sources[d.id] = visible.filter((o) => o !== d).map((o) => o.id ?? '');
  }
  const finishedAt = { ...keep(state.finishedAt) };
  for (const d of after) {
    const was = before.find((b) => b.id === d.id);
    if (d.id && d.rolloutState === RolloutState.Completed && was?.rolloutState !== RolloutState.Completed)
      finishedAt[d.id] = now;
  }
  const set = <K extends keyof ServiceSchedulerState>(key: K, value: ServiceSchedulerState[K]) => {
    if (value !== undefined && Object.keys(value).length > 0) next[key] = value;
  };
  set('rolloutStartedAt', keep(state.rolloutStartedAt));
  set('finishedAt', finishedAt);
  set('sources', sources);
  set('rollbacks', keep(state.rollbacks));
  set('stopRequested', keep(state.stopRequested));
  set('bakingSince', keep(state.bakingSince));
  return next;
}
