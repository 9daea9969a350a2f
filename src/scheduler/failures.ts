/**
 * When no instance fits: every instance's first rejection in canonical order, counted per reason,
 * and the closest instance, the one that got furthest down the chain (smallest shortfall on ties).
 * ECS reports that instance's reason, e.g. "The closest matching container-instance ... has
 * insufficient memory available."
 */
import { type Chain, verdict } from './checkers/chain.ts';
import { ecsFailureReason, NO_CONTAINER_INSTANCES, REASON_ORDER, type RejectReason } from './reasons.ts';
import type { WorkingState } from './state/working-state.ts';
import type { PlacementFailure, TaskDecision } from './types.ts';

export interface Rejections {
  readonly counts: Partial<Record<RejectReason, number>>;
  readonly closest:
    | { readonly instanceArn: string; readonly reason: RejectReason; readonly detail: string }
    | undefined;
}

export function collectRejections(chain: Chain, ws: WorkingState): Rejections {
  const counts: Partial<Record<RejectReason, number>> = {};
  let closest:
    | { slot: number; depth: number; amount: number; reason: RejectReason; text: string }
    | undefined;
  for (let slot = 0; slot < ws.n; slot++) {
    const v = verdict(chain, ws.at(slot), ws);
    if (v.type === 'accept') continue;
    counts[v.reason] = (counts[v.reason] ?? 0) + 1;
    const { amount, text } = v.shortfall;
    const closer =
      !closest ||
      v.depth > closest.depth ||
      (v.depth === closest.depth &&
        (amount < closest.amount ||
          (amount === closest.amount && ws.table.arns[slot] < ws.table.arns[closest.slot])));
    if (closer) closest = { slot, depth: v.depth, amount, reason: v.reason, text };
  }
  return {
    counts,
    closest: closest && {
      instanceArn: ws.table.arns[closest.slot],
      reason: closest.reason,
      detail: closest.text,
    },
  };
}

/**
 * One line for `failures[].detail`, e.g.
 * "5 instances: 3 RESOURCE:MEMORY, 2 ATTRIBUTE; closest: arn:...:container-instance/c1/ab12 (short 128 MiB memory)".
 * Reasons are listed most frequent first, ties in chain order.
 */
export function failureDetail(n: number, rejections: Rejections): string {
  const parts = REASON_ORDER.filter((r) => rejections.counts[r])
    .sort((a, b) => (rejections.counts[b] ?? 0) - (rejections.counts[a] ?? 0))
    .map((r) => `${rejections.counts[r]} ${r}`);
  const closest = rejections.closest
    ? `; closest: ${rejections.closest.instanceArn} (${rejections.closest.detail})`
    : '';
  return `${n} instance${n === 1 ? '' : 's'}: ${parts.join(', ')}${closest}`;
}

/**
 * RunTask's failure entry for a task that could not be placed, and the matching decision record.
 * Without instances there is no closest one: the reason is ECS's "No Container Instances were found".
 */
export function unplaced(
  n: number,
  rejections: Rejections,
): { failure: PlacementFailure; decision: TaskDecision } {
  const closest = rejections.closest;
  return {
    failure: {
      ...(closest ? { arn: closest.instanceArn } : {}),
      reason: closest ? ecsFailureReason(closest.reason) : NO_CONTAINER_INSTANCES,
      detail: failureDetail(n, rejections),
    },
    decision: { type: 'unplaced', rejected: rejections.counts, ...(closest ? { closest } : {}) },
  };
}
