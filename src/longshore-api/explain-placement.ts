/**
 * ExplainPlacement (Longshore's own API, beyond ECS): a placement dry run. For a task definition,
 * cluster, constraints and strategies it answers, per container instance, accepted (with its
 * strategy scores and rank) or the exact rule that rejected it, and the plan RunTask would make
 * with the same request id, without placing anything.
 */
import type {
  PlacementConstraint,
  PlacementStrategy,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../core/errors.ts';
import type { RequestContext } from '../aws/service.ts';
import type { EcsContext } from '../ecs/context.ts';
import { activeCluster, clusterName } from '../ecs/lookup.ts';
import { requireTaskDefinition } from '../ecs/task-definition-lookup.ts';
import { clusterSnapshot } from '../ecs/tasks/cluster-snapshot.ts';
import { checkRange, requireNonEmpty } from '../ecs/validation.ts';
import { explain, place, placementRequest } from '../scheduler/index.ts';

export interface ExplainPlacementInput {
  cluster?: string;
  taskDefinition?: string;
  count?: number;
  group?: string;
  /** Seeds the decision; the same id over the same cluster state gives the same answer. */
  requestId?: string;
  overrides?: TaskOverride;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
}

export async function explainPlacement(
  ctx: EcsContext,
  input: ExplainPlacementInput,
  request: RequestContext,
) {
  if (typeof input !== 'object' || input === null)
    throw invalidParameter('The request body must be a JSON object.');
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('taskDefinition', input.taskDefinition);
  checkRange('count', input.count, 1, 10);
  await activeCluster(ctx.store, cluster);
  const td = await requireTaskDefinition(ctx, ctx.store, ref);
  const snapshot = await clusterSnapshot(ctx.store, cluster);
  const requestId = input.requestId ?? request.requestId;
  const placement = placementRequest({
    requestId,
    taskDefinition: td.value.taskDefinition as TaskDefinition,
    overrides: input.overrides,
    count: input.count ?? 1,
    group: input.group,
    placementConstraints: input.placementConstraints,
    placementStrategy: input.placementStrategy,
  });
  const explanation = explain(snapshot, placement);
  const plan = place(snapshot, placement);
  return {
    requestId,
    cluster,
    taskDefinitionArn: td.value.taskDefinition.taskDefinitionArn,
    strategy: explanation.strategy,
    acceptedCount: explanation.accepted,
    instances: explanation.instances.map((i) => ({ containerInstanceArn: i.instanceArn, ...i.verdict })),
    placements: plan.placements.map((p) => ({ containerInstanceArn: p.instanceArn, scores: p.scores })),
    failures: plan.failures,
  };
}
