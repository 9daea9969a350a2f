/**
 * UpdateService: changes an ACTIVE service. Changes to what its tasks run (task definition,
 * network configuration, platform version, capacity, load balancers, service registries) or
 * forceNewDeployment start a new PRIMARY deployment; the rest (desired count, deployment
 * configuration, placement, grace period, tags and exec options) change the service in place,
 * as the UpdateService docs list them.
 */
import type {
  SchedulingStrategy,
  Service,
  UpdateServiceRequest,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import type { ServiceRecord } from '../model/records.ts';
import { checkLaunchSupported } from '../model/tasks/launch-support.ts';
import { checkEnum, compact } from '../model/validation.ts';
import { resolveDeploymentConfiguration } from './deployment-config.ts';
import {
  deploymentId,
  newDeployment,
  startDeployment,
  updatePrimary,
} from '../model/services/deployments.ts';
import { isFargate, type LaunchTarget, resolveStrategyUpdate, withPlatform } from './launch-rules.ts';
import { checkNetworkExists, normalizeNetwork } from '../model/network/awsvpc-config.ts';
import { requireService, serviceNotActive } from './service-ref.ts';
import {
  AvailabilityZoneRebalancingValues,
  checkDeploymentController,
  checkDesiredCount,
  checkGracePeriod,
  checkUnsupportedFeatures,
  PropagateTagsValues,
  serviceLinkedRoleArn,
} from '../model/services/service-rules.ts';
import { requireTargets } from './load-balancer-rules.ts';
import { checkSpec, currentTaskDefinition, serviceTaskDefinition } from './service-spec.ts';
import { serviceView } from './service-view.ts';

/** Service members whose change means new tasks: a new deployment. */
const DEPLOYMENT_MEMBERS = [
  'taskDefinition',
  'networkConfiguration',
  'platformVersion',
  'launchType',
  'capacityProviderStrategy',
  'loadBalancers',
  'serviceRegistries',
] as const;

export async function updateService(
  ctx: EcsContext,
  input: Wire<UpdateServiceRequest>,
): Promise<Wire<UpdateServiceResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  checkGracePeriod(input.healthCheckGracePeriodSeconds);
  const propagateTags = checkEnum('propagateTags', input.propagateTags, PropagateTagsValues);
  const rebalancing = checkEnum(
    'availabilityZoneRebalancing',
    input.availabilityZoneRebalancing,
    AvailabilityZoneRebalancingValues,
  );
  checkDeploymentController(input.deploymentController);
  checkUnsupportedFeatures(input);
  const network = normalizeNetwork(input.networkConfiguration);
  const now = ctx.clock.now();

  const result = await ctx.store.transact(async (tx) => {
    const clusterRecord = (await activeCluster(tx, cluster)).value;
    const stored = await requireService(ctx, tx, cluster, input.service ?? '');
    const current = stored.value.service;
    if (current.status !== 'ACTIVE') throw serviceNotActive();
    const scheduling = (current.schedulingStrategy ?? 'REPLICA') as SchedulingStrategy;
    checkDesiredCount(scheduling, input.desiredCount, 'update');
    const taskDefinition =
      input.taskDefinition !== undefined
        ? await serviceTaskDefinition(ctx, tx, input.taskDefinition)
        : await currentTaskDefinition(ctx, tx, current.taskDefinition);
    const launch = nextLaunch(input, current, clusterRecord, scheduling, taskDefinition);
    const networkConfiguration =
      input.networkConfiguration !== undefined ? network : current.networkConfiguration;
    const checked = checkSpec(
      {
        scheduling,
        taskDefinition,
        launch,
        networkConfiguration,
        loadBalancers: input.loadBalancers ?? current.loadBalancers ?? [],
        serviceRegistries: input.serviceRegistries ?? current.serviceRegistries ?? [],
        placementConstraints: input.placementConstraints ?? current.placementConstraints ?? [],
        placementStrategy: input.placementStrategy ?? current.placementStrategy ?? [],
      },
      ctx.partition.accountId,
    );
    // After ECS's own checks, so an invalid request gets ECS's error first.
    checkLaunchSupported(launch);
    await checkNetworkExists(tx, ctx, networkConfiguration);
    await requireTargets(tx, checked.loadBalancers, checked.serviceRegistries, taskDefinition);
    const next: Wire<Service> = compact({
      ...current,
      desiredCount: input.desiredCount ?? current.desiredCount,
      launchType: launch.launchType,
      capacityProviderStrategy: launch.capacityProviderStrategy,
      platformVersion: launch.platformVersion,
      platformFamily: launch.platformFamily,
      taskDefinition: taskDefinition.taskDefinitionArn,
      deploymentConfiguration: resolveDeploymentConfiguration(
        input.deploymentConfiguration,
        scheduling,
        current.deploymentConfiguration,
      ),
      loadBalancers: checked.loadBalancers,
      serviceRegistries: checked.serviceRegistries,
      roleArn:
        current.roleArn ??
        (taskDefinition.networkMode === 'awsvpc' ? serviceLinkedRoleArn(ctx.partition.accountId) : undefined),
      placementConstraints: checked.placementConstraints,
      placementStrategy: checked.placementStrategy,
      networkConfiguration,
      healthCheckGracePeriodSeconds:
        input.healthCheckGracePeriodSeconds ?? current.healthCheckGracePeriodSeconds,
      enableECSManagedTags: input.enableECSManagedTags ?? current.enableECSManagedTags,
      propagateTags: propagateTags ?? current.propagateTags,
      enableExecuteCommand: input.enableExecuteCommand ?? current.enableExecuteCommand,
      availabilityZoneRebalancing: rebalancing ?? current.availabilityZoneRebalancing ?? 'DISABLED',
    });
    next.deployments = nextDeployments(ctx, current, next, input.forceNewDeployment === true, now);
    if (JSON.stringify(next) === JSON.stringify(current)) return { record: stored.value, changed: false };
    const record: ServiceRecord = { ...stored.value, service: next };
    await tx.put(Kind.Service, stored.key, record, stored.version);
    return { record, changed: true, key: stored.key };
  });
  return { service: serviceView(result.record) };
}

/**
 * Where the service runs after the update. UpdateService has no launchType; a capacity provider
 * strategy replaces the current launch target, and such a switch needs forceNewDeployment.
 */
function nextLaunch(
  input: Wire<UpdateServiceRequest>,
  current: Wire<Service>,
  cluster: Parameters<typeof resolveStrategyUpdate>[1],
  scheduling: SchedulingStrategy,
  taskDefinition: Parameters<typeof withPlatform>[3],
): LaunchTarget {
  let target: LaunchTarget = compact({
    launchType: current.launchType,
    capacityProviderStrategy: current.capacityProviderStrategy,
  });
  if (input.capacityProviderStrategy !== undefined) {
    const requested = resolveStrategyUpdate(input.capacityProviderStrategy, cluster, scheduling);
    if (JSON.stringify(requested) !== JSON.stringify(target) && input.forceNewDeployment !== true) {
      throw invalidParameter(
        'When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.',
      );
    }
    target = requested;
  }
  const version = input.platformVersion ?? (isFargate(target) ? current.platformVersion : undefined);
  return withPlatform(target, version, scheduling, taskDefinition);
}

/**
 * A new PRIMARY when forced or when a deployment member changed (the previous PRIMARY becomes
 * ACTIVE); otherwise the PRIMARY only follows a new desired count.
 */
function nextDeployments(
  ctx: EcsContext,
  current: Wire<Service>,
  next: Wire<Service>,
  force: boolean,
  now: number,
): Wire<Service>['deployments'] {
  const deployments = current.deployments ?? [];
  const changed = DEPLOYMENT_MEMBERS.some((m) => JSON.stringify(current[m]) !== JSON.stringify(next[m]));
  if (force || changed)
    return startDeployment(deployments, newDeployment(next, deploymentId(ctx.rng), now), now);
  if (next.desiredCount !== current.desiredCount) {
    return updatePrimary(deployments, { desiredCount: next.desiredCount }, now);
  }
  return deployments;
}
