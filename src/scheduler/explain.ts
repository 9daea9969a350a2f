/** `explain`: every instance's verdict for the request's first task, without placing anything. */
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import { verdict } from './checkers/chain.ts';
import { prepareDecision } from './decision.ts';
import type { RejectReason } from './reasons.ts';
import { compileRequest } from './request.ts';
import { isBetter } from './select.ts';
import { instanceCount } from './state/cluster-index.ts';
import { toPlacementStrategy } from './strategies/strategy.ts';
import type { ClusterSnapshot, PlacementRequest, PlaceOptions } from './types.ts';

export type InstanceVerdict =
  | {
      readonly type: 'accepted';
      /** Strategy keys in chain order; lower is better (binpack: resource left, spread: tasks of the group). */
      readonly scores: readonly number[];
      /** 1 is the instance `place` would choose for the first task with the same seed. */
      readonly rank: number;
    }
  | { readonly type: 'rejected'; readonly reason: RejectReason; readonly detail: string };

export interface InstanceExplanation {
  readonly instanceArn: string;
  readonly verdict: InstanceVerdict;
}

export interface Explanation {
  readonly strategy: readonly PlacementStrategy[];
  readonly accepted: number;
  /** In snapshot order. */
  readonly instances: readonly InstanceExplanation[];
}

/**
 * Runs the whole checker chain on every instance (not just until the first fit) and scores every
 * accepted one with the same seeded draws `place` uses for its first task (strategy keys, then the
 * tie rank), so rank 1 is the instance `place` picks. Example verdict:
 * `{type: 'rejected', reason: 'RESOURCE:MEMORY', detail: 'short 128 MiB memory'}`.
 */
export function explain(
  snapshot: ClusterSnapshot,
  request: PlacementRequest,
  options: PlaceOptions = {},
): Explanation {
  if (instanceCount(snapshot) === 0) {
    return {
      strategy: compileRequest(request).strategy.map(toPlacementStrategy),
      accepted: 0,
      instances: [],
    };
  }
  const {
    ws,
    selection,
    candidates,
    request: compiled,
    nextTask,
  } = prepareDecision(snapshot, request, options);
  candidates.begin(nextTask());
  const k = selection.scorers.length;
  const verdicts: InstanceVerdict[] = [];
  const accepted: { slot: number; keys: Float64Array }[] = [];
  for (let slot = 0; slot < ws.n; slot++) {
    const view = ws.at(slot);
    const v = verdict(selection.chain, view, ws);
    if (v.type === 'reject') {
      verdicts.push({ type: 'rejected', reason: v.reason, detail: v.shortfall.text });
      continue;
    }
    const keys = new Float64Array(k + 1);
    selection.scorers.forEach((s, j) => {
      keys[j] = s.key(view, ws);
    });
    keys[k] = candidates.tieRank(slot);
    accepted.push({ slot, keys });
    verdicts.push({ type: 'accepted', scores: Array.from(keys.subarray(0, k)), rank: 0 });
  }
  const arns = ws.table.arns;
  accepted.sort((a, b) => (isBetter(a.keys, b.keys, arns[a.slot], arns[b.slot]) ? -1 : 1));
  accepted.forEach(({ slot }, i) => {
    const v = verdicts[slot];
    if (v.type === 'accepted') verdicts[slot] = { ...v, rank: i + 1 };
  });
  return {
    strategy: compiled.strategy.map(toPlacementStrategy),
    accepted: accepted.length,
    instances: verdicts.map((v, slot) => ({ instanceArn: arns[slot], verdict: v })),
  };
}
