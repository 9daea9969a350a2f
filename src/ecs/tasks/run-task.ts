/**
 * RunTask: places `count` tasks and hands them to the agents that run them: on container
 * instances with the scheduler (EC2, EXTERNAL), or on the Fargate capacity the agents offer
 * (launchType FARGATE, or a FARGATE / FARGATE_SPOT capacity provider strategy).
 */
import type {
  CapacityProviderStrategyItem,
  RunTaskRequest,
  RunTaskResponse,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { RequestContext } from '../../aws/service.ts';
import { NO_CONTAINER_INSTANCES, place, placementRequest } from '../../scheduler/index.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { previousResult, rememberResult, requestHash } from '../../aws/client-token.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { type ClusterRecord, keys, type TaskDefinitionRecord, type TaskRecord } from '../model/records.ts';
import { requireTaskDefinition } from '../model/task-definition-lookup.ts';
import { checkRange, requireNonEmpty } from '../model/validation.ts';
import { clusterSnapshot } from '../model/tasks/cluster-snapshot.ts';
import { snapshotInstance } from '../model/tasks/snapshot-cache.ts';
import {
  checkLaunchSupported,
  checkLaunchType,
  FARGATE_NO_CONSTRAINTS,
  FARGATE_NO_STRATEGIES,
  LAUNCH_TYPE_AND_STRATEGY,
} from '../model/tasks/launch-support.ts';
import { checkLaunchInput, createPlacedTasks } from '../model/tasks/task-launch.ts';
import { taskView } from '../model/tasks/task-view.ts';
import { checkNetworkMode } from '../model/network/awsvpc-config.ts';
import { splitByStrategy } from '../model/fargate/capacity-split.ts';
import { launchFargate } from '../model/fargate/fargate-launch.ts';
import {
  checkPlatformVersion,
  platformFamilyOf,
  resolvedPlatformVersion,
} from '../model/fargate/platform.ts';
import { BUILTIN_CAPACITY_PROVIDERS, MIXED_STRATEGY, validateStrategy } from '../clusters/cluster-rules.ts';
import { runOnProviders } from '../capacity-providers/provider-launch.ts';
import { isFargateSize } from '../task-definition/fargate.ts';

type Input = Wire<RunTaskRequest>;
type Output = Wire<RunTaskResponse>;

/** Where RunTask's tasks go. */
type Target =
  | { type: 'instances'; launchType: 'EC2' | 'EXTERNAL' }
  | { type: 'fargate'; strategy?: CapacityProviderStrategyItem[] }
  | { type: 'providers'; strategy: CapacityProviderStrategyItem[] };

export async function runTask(ctx: EcsContext, input: Input, request?: RequestContext): Promise<Output> {
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('taskDefinition', input.taskDefinition);
  checkRange('count', input.count, 1, 10);
  if (input.launchType && input.capacityProviderStrategy?.length)
    throw invalidParameter(LAUNCH_TYPE_AND_STRATEGY);
  const launchType = checkLaunchType(input.launchType);
  checkLaunchSupported({ launchType, capacityProviderStrategy: input.capacityProviderStrategy });
  const hash = requestHash({ ...input, cluster });
  return ctx.store.transact(async (tx) => {
    const clusterRecord = await activeCluster(tx, cluster);
    const target = targetOf(launchType, input.capacityProviderStrategy, clusterRecord.value);
    const now = ctx.clock.now();
    const earlier = await previousResult(tx, 'RunTask', input.clientToken, hash, now);
    if (earlier) {
      const tasks = [];
      for (const arn of earlier) {
        const t = await tx.get<TaskRecord>(Kind.Task, keys.task(cluster, arn.split('/').pop() ?? ''));
        if (t) tasks.push(taskView(t.value, ['TAGS']));
      }
      return { tasks, failures: [] };
    }
    const td = await requireTaskDefinition(ctx, tx, ref);
    const fargate = target.type === 'fargate';
    checkLaunchInput(
      input,
      td.value.taskDefinition,
      target.type === 'instances' ? target.launchType : fargate ? 'FARGATE' : 'EC2',
    );
    checkNetworkMode(input.networkConfiguration as never, td.value.taskDefinition, fargate);
    const result =
      target.type === 'fargate'
        ? await runOnFargate(ctx, tx, input, clusterRecord.value, td, target.strategy)
        : target.type === 'providers'
          ? {
              created: await runOnProviders(
                ctx,
                tx,
                input,
                clusterRecord.value,
                td,
                target.strategy,
                request,
              ),
              failures: [],
            }
          : await runOnInstances(ctx, tx, input, clusterRecord.value, td, target.launchType, request);
    // A call that started nothing is not remembered: its retry (the same clientToken) tries again,
    // as the failure's "try again later" asks, instead of answering an empty success.
    if (result.created.length > 0)
      await rememberResult(
        tx,
        'RunTask',
        input.clientToken,
        hash,
        result.created.map((t) => t.task.taskArn ?? ''),
        now,
      );
    return { tasks: result.created.map((t) => taskView(t, ['TAGS'])), failures: result.failures };
  });
}

/**
 * A launch type wins; else the strategy given; else the cluster's default strategy; else EC2
 * (ECS's order). Strategies name only FARGATE and FARGATE_SPOT, the providers there are.
 */
function targetOf(
  launchType: string | undefined,
  strategy: CapacityProviderStrategyItem[] | undefined,
  cluster: ClusterRecord,
): Target {
  if (launchType === 'FARGATE') return { type: 'fargate' };
  if (launchType) return { type: 'instances', launchType: launchType === 'EXTERNAL' ? 'EXTERNAL' : 'EC2' };
  const chosen = strategy?.length ? strategy : cluster.defaultCapacityProviderStrategy;
  if (chosen.length === 0) return { type: 'instances', launchType: 'EC2' };
  if (strategy?.length) validateStrategy(strategy, cluster.capacityProviders);
  if (chosen.length > 20) throw invalidParameter('capacityProviderStrategy can have at most 20 items.');
  // A single provider may weigh 0 (it then takes every task); several must not all (ECS).
  if (chosen.length > 1 && chosen.every((s) => (s.weight ?? 0) === 0)) {
    throw invalidParameter(
      'At least one capacity provider in a capacity provider strategy must have a weight greater than zero.',
    );
  }
  if (chosen.length === 1 && (chosen[0].weight ?? 0) === 0 && (chosen[0].base ?? 0) === 0) {
    throw invalidParameter(
      'At least one capacity provider in a capacity provider strategy must have a weight greater than zero.',
    );
  }
  // Auto Scaling group providers place on their groups' instances; a strategy cannot mix them with Fargate's.
  const builtin = chosen.filter((s) =>
    (BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(s.capacityProvider ?? ''),
  );
  if (builtin.length === 0) return { type: 'providers', strategy: chosen };
  if (builtin.length < chosen.length) throw invalidParameter(MIXED_STRATEGY);
  return { type: 'fargate', strategy: chosen };
}

interface Launched {
  created: TaskRecord[];
  failures: Output['failures'] & object;
}

async function runOnFargate(
  ctx: EcsContext,
  tx: Tx,
  input: Input,
  cluster: ClusterRecord,
  td: { value: TaskDefinitionRecord },
  strategy: CapacityProviderStrategyItem[] | undefined,
): Promise<Launched> {
  const definition = td.value.taskDefinition;
  if (!(definition.compatibilities ?? []).includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  if (input.placementConstraints?.length) throw invalidParameter(FARGATE_NO_CONSTRAINTS);
  if (input.placementStrategy?.length) throw invalidParameter(FARGATE_NO_STRATEGIES);
  const version = checkPlatformVersion(input.platformVersion);
  checkFargateSize(input.overrides as TaskOverride | undefined, definition);
  const count = input.count ?? 1;
  const providers: (string | undefined)[] = strategy
    ? splitByStrategy(strategy, count)
    : Array.from({ length: count }, () => undefined);
  const { created, failures } = await launchFargate(ctx, tx, {
    cluster,
    td: td.value,
    input,
    group: input.group ?? `family:${definition.family}`,
    providers,
    platformVersion: resolvedPlatformVersion(version),
    platformFamily: platformFamilyOf(definition),
  });
  return { created, failures: failures.map((f) => ({ reason: f.reason, detail: f.detail })) };
}

/** Task-size overrides must still be a Fargate size (the rule registration applies, held at run time). */
function checkFargateSize(overrides: TaskOverride | undefined, definition: Wire<TaskDefinition>): void {
  if (overrides?.cpu === undefined && overrides?.memory === undefined) return;
  const cpu = Number(overrides.cpu ?? definition.cpu);
  const memory = Number(overrides.memory ?? definition.memory);
  const windows = definition.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS') ?? false;
  if (!isFargateSize(cpu, memory, windows)) {
    throw invalidParameter(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  }
}

async function runOnInstances(
  ctx: EcsContext,
  tx: Tx,
  input: Input,
  cluster: ClusterRecord,
  td: { value: TaskDefinitionRecord },
  launchType: 'EC2' | 'EXTERNAL',
  request: RequestContext | undefined,
): Promise<Launched> {
  if (input.platformVersion !== undefined) {
    throw invalidParameter(`The platform version must be null when specifying an ${launchType} launch type.`);
  }
  const snapshot = await clusterSnapshot(ctx, tx, cluster.clusterName);
  if (snapshot.instances.length === 0) throw invalidParameter(NO_CONTAINER_INSTANCES);
  const placement = placementRequest({
    requestId: request?.requestId ?? ctx.rng.hex(16),
    taskDefinition: td.value.taskDefinition as TaskDefinition,
    overrides: input.overrides as TaskOverride | undefined,
    count: input.count ?? 1,
    group: input.group,
    launchType,
    placementConstraints: input.placementConstraints,
    placementStrategy: input.placementStrategy,
  });
  const plan = place(snapshot, placement);
  const created = await createPlacedTasks(ctx, tx, {
    cluster,
    td: td.value,
    request: placement,
    placements: plan.placements,
    input,
    launchType,
    attributesOf: (arn) => snapshotInstance(snapshot, arn)?.attributes ?? {},
  });
  return { created, failures: plan.failures.map((f) => ({ ...f })) };
}
