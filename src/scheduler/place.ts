/** `place`: the scheduler's entry point. A pure function from snapshot and request to a plan. */
import { placedTask, prepareDecision } from './decision.ts';
import { collectRejections, unplaced } from './failures.ts';
import { compileRequest } from './request.ts';
import { selectSlot } from './select.ts';
import { applyPlacements, instanceCount } from './state/cluster-index.ts';
import { toPlacementStrategy } from './strategies/strategy.ts';
import type {
  ClusterSnapshot,
  Placement,
  PlacementFailure,
  PlacementPlan,
  PlacementRequest,
  PlaceOptions,
  TaskDecision,
} from './types.ts';

/**
 * Places `request.count` tasks one at a time. Each task sees the ones placed before it in this
 * call (their resources, ports and group count toward spread and distinctInstance). The snapshot
 * is never modified; the plan is the same for the same snapshot content, request and seed.
 *
 * When a task does not fit, it and every later task of the request become failures: nothing
 * changed between them, so they would fail for the same reason.
 */
export function place(
  snapshot: ClusterSnapshot,
  request: PlacementRequest,
  options: PlaceOptions = {},
): PlacementPlan {
  const n = instanceCount(snapshot);
  if (n === 0) {
    const compiled = compileRequest(request);
    const empty = unplaced(0, { counts: {}, closest: undefined });
    return {
      placements: [],
      failures: Array.from({ length: compiled.count }, () => empty.failure),
      explanation: {
        instances: 0,
        strategy: compiled.strategy.map(toPlacementStrategy),
        tasks: Array.from({ length: compiled.count }, () => empty.decision),
      },
    };
  }
  const decision = prepareDecision(snapshot, request, options);
  const { ws, selection, candidates } = decision;
  const placements: Placement[] = [];
  const failures: PlacementFailure[] = [];
  const tasks: TaskDecision[] = [];
  for (let t = 0; t < decision.request.count; t++) {
    const choice = selectSlot(candidates, decision.nextTask(), decision.spread);
    if (!choice) {
      const outcome = unplaced(n, collectRejections(selection.chain, ws));
      for (let rest = t; rest < decision.request.count; rest++) {
        failures.push(outcome.failure);
        tasks.push(outcome.decision);
      }
      break;
    }
    const instance = ws.at(choice.slot).state.instance;
    placements.push({
      instanceArn: instance.arn,
      containerInstanceId: instance.id,
      ec2InstanceId: instance.ec2InstanceId,
      scores: choice.keys,
    });
    tasks.push({ type: 'placed', instanceArn: instance.arn, evaluated: choice.evaluated });
    // The next task sees this one (the last task has no next: its instance copy would be garbage).
    if (t + 1 < decision.request.count)
      ws.placeTask(choice.slot, placedTask(request, `${request.requestId}#${t}`));
  }
  return {
    placements,
    failures,
    explanation: { instances: n, strategy: decision.request.strategy.map(toPlacementStrategy), tasks },
  };
}

/**
 * The snapshot after a plan is committed: each placement adds a PENDING task with the given ARN
 * (one per placement, in order). Later decisions on the result see these tasks; a lineage built this
 * way keeps decisions cheap (see state/cluster-index.ts).
 */
export function applyPlan(
  snapshot: ClusterSnapshot,
  request: PlacementRequest,
  plan: PlacementPlan,
  taskArns: readonly string[],
): ClusterSnapshot {
  if (taskArns.length !== plan.placements.length) {
    throw new Error(
      `applyPlan needs one task ARN per placement (${plan.placements.length}), got ${taskArns.length}`,
    );
  }
  return applyPlacements(
    snapshot,
    plan.placements.map((p, i) => ({ instanceArn: p.instanceArn, task: placedTask(request, taskArns[i]) })),
  );
}
