/**
 * Starts a deployment's tasks: places them with the scheduler (group `service:NAME`, the service's
 * constraints and strategies, ECS's default spread when it has none) and creates them PENDING,
 * started by the deployment id, in the reconcile's transaction.
 */
import type { PlacementStrategy, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
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
import { Kind, type Tx } from '../../store/store.ts';
import { ServiceError } from '../../core/errors.ts';
import { keys } from '../../ecs/model/records.ts';
import { splitByStrategy } from '../../ecs/model/fargate/capacity-split.ts';
import { launchFargate } from '../../ecs/model/fargate/fargate-launch.ts';
import { resolvedPlatformVersion } from '../../ecs/model/fargate/platform.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from '../../ecs/model/capacity-provider-records.ts';
import { startProviderTasks } from './provider-start.ts';

/** The closest instance's id and the scheduler's reason, when a task found no instance. */
export interface Unplaced {
  closest?: string;
  reason: string;
  /** Fargate: no instance is involved; the reason is Fargate's and `detail` says what ran out. */
  fargate?: { detail: string };
}

export interface Started {
  created: TaskRecord[];
  snapshot: ClusterSnapshot;
  unplaced?: Unplaced;
  /** Auto Scaling group providers: tasks left waiting in PROVISIONING, per provider. */
  provisioning?: ReadonlyMap<string, number>;
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
  const strategy = serviceStrategy(l.service);
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

/** The service's placement strategies, ECS's default spread when it has none; DAEMON services use none. */
export function serviceStrategy(record: ServiceRecord): PlacementStrategy[] {
  const s = record.service;
  if (s.schedulingStrategy === 'DAEMON') return [];
  return (s.placementStrategy ?? []).length > 0
    ? (s.placementStrategy as PlacementStrategy[])
    : [...DEFAULT_SERVICE_STRATEGY];
}

/**
 * Places up to `count` tasks in batches of RunTask's 10, each batch seeing the ones before it.
 * Stops at the first task that fits nowhere and reports why.
 */
export async function startTasks(l: Launch, count: number, snapshot: ClusterSnapshot): Promise<Started> {
  if (onProviders(l.service)) return startProviderTasks(l, count, snapshot);
  if (isFargateService(l.service)) return startFargateTasks(l, count, snapshot);
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
    input: { ...launchInput(l.service, l.deployment), networkConfiguration: s.networkConfiguration },
    launchType: s.launchType === 'EXTERNAL' ? 'EXTERNAL' : 'EC2',
    attributesOf: (arn) => attributes.get(arn) ?? {},
    serviceName: s.serviceName,
  });
}

/** A service on Fargate: the FARGATE launch type, or a strategy of Fargate providers. */
export function isFargateService(record: ServiceRecord): boolean {
  const s = record.service;
  return (
    s.launchType === 'FARGATE' || ((s.capacityProviderStrategy ?? []).length > 0 && !onProviders(record))
  );
}

/** A strategy of Auto Scaling group providers (CreateService never mixes them with Fargate's). */
export function onProviders(record: ServiceRecord): boolean {
  const fargate: readonly string[] = BUILTIN_CAPACITY_PROVIDERS;
  const strategy = record.service.capacityProviderStrategy ?? [];
  return strategy.length > 0 && !fargate.includes(strategy[0].capacityProvider ?? '');
}

/**
 * Fargate tasks for the service: split between providers as ECS splits them, counting the tasks
 * the service already runs on each; what cannot be placed (no capacity, no address, a subnet or
 * group deleted since) is reported as unplaced, never thrown, so the service keeps retrying.
 */
async function startFargateTasks(l: Launch, count: number, snapshot: ClusterSnapshot): Promise<Started> {
  const s = l.service.service;
  const strategy = s.capacityProviderStrategy ?? [];
  const providers =
    strategy.length > 0
      ? splitByStrategy(strategy, count, await providerCounts(l))
      : Array.from({ length: count }, () => undefined);
  const input = { ...launchInput(l.service, l.deployment), networkConfiguration: s.networkConfiguration };
  try {
    const { created, failures } = await launchFargate(l.ctx, l.tx, {
      cluster: l.cluster,
      td: l.td,
      input,
      group: `service:${s.serviceName}`,
      providers,
      platformVersion: resolvedPlatformVersion(s.platformVersion ?? 'LATEST'),
      platformFamily: s.platformFamily ?? 'Linux',
      serviceName: s.serviceName,
    });
    const failure = failures[0];
    return {
      created,
      snapshot,
      ...(failure ? { unplaced: { reason: failure.reason, fargate: { detail: failure.detail } } } : {}),
    };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { created: [], snapshot, unplaced: { reason: error.message, fargate: { detail: '' } } };
  }
}

/** The deployment's tasks that are not STOPPED, per capacity provider. */
export async function providerCounts(l: Launch): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const tasks = await l.tx.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(l.cluster.clusterName) });
  for (const { value } of tasks) {
    const name = value.task.capacityProviderName;
    // Per deployment, as ECS splits: a new deployment's base is not met by the old one's tasks.
    if (
      value.serviceName !== l.service.service.serviceName ||
      value.task.startedBy !== l.deployment.id ||
      value.task.lastStatus === 'STOPPED' ||
      !name
    )
      continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Tags as ECS gives service tasks: propagated from the service or the task definition, plus managed tags. */
export function launchInput(record: ServiceRecord, deployment: WireDeployment): LaunchInput {
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
