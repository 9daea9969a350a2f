/**
 * Starts a deployment's tasks: places them with the scheduler (group `service:NAME`, the service's
 * constraints and strategies, ECS's default spread when it has none) and creates them PENDING,
 * started by the deployment id, in the reconcile's transaction.
 */
import type { Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../../ecs/model/context.ts';
import type {
  ClusterRecord,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from '../../ecs/model/records.ts';
import type { WireDeployment } from '../../ecs/model/services/deployments.ts';
import { createPlacedTasks, type LaunchInput } from '../../ecs/model/tasks/task-launch.ts';
import {
  applyPlan,
  type ClusterSnapshot,
  DEFAULT_SERVICE_STRATEGY,
  MAX_TASKS_PER_REQUEST,
  type PlacementRequest,
  place,
  placementRequest,
} from '../../scheduler/index.ts';
import type { Tx } from '../../store/store.ts';

/** The closest instance's id and the scheduler's reason, when a task found no instance. */
export interface Unplaced {
  closest?: string;
  reason: string;
}

export interface Started {
  created: TaskRecord[];
  snapshot: ClusterSnapshot;
  unplaced?: Unplaced;
}

export interface Launch {
  ctx: EcsContext;
  tx: Tx;
  service: ServiceRecord;
  cluster: ClusterRecord;
  deployment: WireDeployment;
  td: TaskDefinitionRecord;
}

/** The placement request for one batch of a deployment's tasks; DAEMON services use no strategy. */
export function serviceRequest(l: Launch, count: number): PlacementRequest {
  const s = l.service.service;
  const strategy =
    s.schedulingStrategy === 'DAEMON'
      ? []
      : (s.placementStrategy ?? []).length > 0
        ? s.placementStrategy
        : DEFAULT_SERVICE_STRATEGY;
  return placementRequest({
    requestId: `${l.deployment.id}/${l.ctx.rng.hex(8)}`,
    taskDefinition: l.td.taskDefinition as TaskDefinition,
    count,
    group: `service:${s.serviceName}`,
    launchType: s.launchType === 'EXTERNAL' ? 'EXTERNAL' : 'EC2',
    placementConstraints: s.placementConstraints,
    placementStrategy: strategy,
  });
}

/**
 * Places up to `count` tasks in batches of RunTask's 10, each batch seeing the ones before it.
 * Stops at the first task that fits nowhere and reports why.
 */
export async function startTasks(l: Launch, count: number, snapshot: ClusterSnapshot): Promise<Started> {
  const created: TaskRecord[] = [];
  let current = snapshot;
  while (created.length < count) {
    const request = serviceRequest(l, Math.min(MAX_TASKS_PER_REQUEST, count - created.length));
    const plan = place(current, request);
    const tasks = await create(l, request, plan.placements, current);
    created.push(...tasks);
    current = applyPlan(
      current,
      request,
      plan,
      tasks.map((t) => t.task.taskArn ?? ''),
    );
    if (plan.failures.length > 0) {
      const decision = plan.explanation.tasks.find((d) => d.type === 'unplaced');
      const closest = decision?.type === 'unplaced' ? decision.closest : undefined;
      return {
        created,
        snapshot: current,
        unplaced: closest
          ? { closest: closest.instanceArn.split('/').pop(), reason: closest.reason }
          : { reason: plan.failures[0].reason },
      };
    }
  }
  return { created, snapshot: current };
}

/** Creates one task per placement; the caller's transaction commits them with the service. */
export async function create(
  l: Launch,
  request: PlacementRequest,
  placements: Parameters<typeof createPlacedTasks>[2]['placements'],
  snapshot: ClusterSnapshot,
): Promise<TaskRecord[]> {
  if (placements.length === 0) return [];
  const s = l.service.service;
  const attributes = new Map(snapshot.instances.map((i) => [i.arn, i.attributes]));
  return createPlacedTasks(l.ctx, l.tx, {
    cluster: l.cluster,
    td: l.td,
    request,
    placements,
    input: launchInput(l.service, l.deployment),
    launchType: s.launchType === 'EXTERNAL' ? 'EXTERNAL' : 'EC2',
    attributesOf: (arn) => attributes.get(arn) ?? {},
    serviceName: s.serviceName,
  });
}

/** Tags as ECS gives service tasks: propagated from the service or the task definition, plus managed tags. */
function launchInput(record: ServiceRecord, deployment: WireDeployment): LaunchInput {
  const s = record.service;
  const tags: Tag[] = s.propagateTags === 'SERVICE' ? [...(s.tags ?? [])] : [];
  if (s.enableECSManagedTags) tags.push({ key: 'aws:ecs:serviceName', value: s.serviceName });
  return {
    startedBy: deployment.id,
    tags,
    propagateTags: s.propagateTags === 'TASK_DEFINITION' ? 'TASK_DEFINITION' : undefined,
    enableECSManagedTags: s.enableECSManagedTags,
    enableExecuteCommand: s.enableExecuteCommand,
  };
}
