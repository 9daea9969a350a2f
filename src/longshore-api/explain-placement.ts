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
import { PlacementConstraint$, PlacementStrategy$, TaskOverride$ } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../ecs/model/errors.ts';
import type { InputSchema, RequestContext } from '../aws/service.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { activeCluster, clusterName } from '../ecs/model/lookup.ts';
import { requireTaskDefinition } from '../ecs/model/task-definition-lookup.ts';
import { clusterSnapshot } from '../ecs/model/tasks/cluster-snapshot.ts';
import { checkRange, requireNonEmpty } from '../ecs/model/validation.ts';
import { explain, place, placementRequest } from '../scheduler/index.ts';

/**
 * The input shape, as a static schema in the SDK's format: the gateway reads requests with it as
 * it reads ECS's (nulls absent, member types checked), reusing ECS's shapes for the ECS members.
 */
export const ExplainPlacementRequest$: InputSchema = [
  3,
  'com.longshore',
  'ExplainPlacementRequest',
  0,
  [
    'cluster',
    'taskDefinition',
    'count',
    'group',
    'requestId',
    'overrides',
    'placementConstraints',
    'placementStrategy',
  ],
  [
    0,
    0,
    1,
    0,
    0,
    () => TaskOverride$,
    [1, 'com.longshore', 'PlacementConstraints', 0, () => PlacementConstraint$],
    [1, 'com.longshore', 'PlacementStrategies', 0, () => PlacementStrategy$],
  ],
];

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
  const snapshot = await clusterSnapshot(ctx, ctx.store, cluster);
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
