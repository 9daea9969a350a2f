/** CreateService: a new ACTIVE service with one PRIMARY deployment; the service controller starts its tasks. */
import type {
  CreateServiceRequest,
  CreateServiceResponse,
  NetworkConfiguration,
  SchedulingStrategy,
  Service,
  ServiceEvent,
} from '@aws-sdk/client-ecs';
import { uuidFrom } from '../../core/uuid.ts';
import { serviceArn } from '../../core/arn.ts';
import { epochSeconds } from '../../core/clock.ts';
import { invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { keys, type ServiceRecord } from '../model/records.ts';
import { validateTags } from '../model/tag-rules.ts';
import { checkLaunchSupported } from '../model/tasks/launch-support.ts';
import { checkEnum, compact } from '../model/validation.ts';
import { resolveDeploymentConfiguration } from './deployment-config.ts';
import { deploymentId, newDeployment } from '../model/services/deployments.ts';
import { isRetry, notIdempotent, requestFingerprint } from './idempotency.ts';
import { resolveLaunch } from './launch-rules.ts';
import { checkNetworkExists, normalizeNetwork } from '../model/network/awsvpc-config.ts';
import { isExpired } from './service-ref.ts';
import {
  AvailabilityZoneRebalancingValues,
  callerArn,
  checkClientToken,
  checkDeploymentController,
  checkDesiredCount,
  checkGracePeriod,
  checkSchedulingStrategy,
  checkServiceName,
  checkUnsupportedFeatures,
  PropagateTagsValues,
  serviceLinkedRoleArn,
} from '../model/services/service-rules.ts';
import { requireTargets } from './load-balancer-rules.ts';
import { checkSpec, serviceTaskDefinition } from './service-spec.ts';
import { serviceView } from './service-view.ts';

export async function createService(
  ctx: EcsContext,
  input: Wire<CreateServiceRequest>,
): Promise<Wire<CreateServiceResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const name = checkServiceName(input.serviceName);
  checkClientToken(input.clientToken);
  validateTags(input.tags);
  checkDeploymentController(input.deploymentController);
  const scheduling = checkSchedulingStrategy(input.schedulingStrategy);
  checkDesiredCount(scheduling, input.desiredCount, 'create');
  checkGracePeriod(input.healthCheckGracePeriodSeconds);
  const propagateTags = checkEnum('propagateTags', input.propagateTags, PropagateTagsValues) ?? 'NONE';
  checkUnsupportedFeatures(input);
  const deploymentConfiguration = resolveDeploymentConfiguration(input.deploymentConfiguration, scheduling);
  const availabilityZoneRebalancing =
    checkEnum(
      'availabilityZoneRebalancing',
      input.availabilityZoneRebalancing,
      AvailabilityZoneRebalancingValues,
    ) ?? defaultRebalancing(scheduling, deploymentConfiguration.maximumPercent);
  const networkConfiguration = normalizeNetwork(input.networkConfiguration);
  const fingerprint = requestFingerprint(input);
  const key = keys.service(cluster, name);
  const now = ctx.clock.now();

  const { record } = await ctx.store.transact(async (tx) => {
    const clusterRecord = (await activeCluster(tx, cluster)).value;
    const existing = await tx.get<ServiceRecord>(Kind.Service, key);
    const current = existing && !isExpired(existing.value, now) ? existing.value : undefined;
    if (current?.service.status === 'DRAINING') {
      throw invalidParameter('Unable to Start a service that is still Draining.');
    }
    if (current?.service.status === 'ACTIVE') {
      if (isRetry(current, input.clientToken, fingerprint)) return { record: current, created: false };
      throw notIdempotent();
    }
    const taskDefinition = await serviceTaskDefinition(ctx, tx, input.taskDefinition);
    const launch = resolveLaunch(input, clusterRecord, scheduling, taskDefinition);
    const checked = checkSpec(
      {
        scheduling,
        taskDefinition,
        launch,
        networkConfiguration,
        loadBalancers: input.loadBalancers ?? [],
        serviceRegistries: input.serviceRegistries ?? [],
        role: input.role,
        placementConstraints: input.placementConstraints ?? [],
        placementStrategy: input.placementStrategy ?? [],
      },
      ctx.partition.accountId,
    );
    // After ECS's own checks, so an invalid request gets ECS's error first.
    checkLaunchSupported(launch);
    await checkNetworkExists(tx, ctx, networkConfiguration);
    await requireTargets(tx, checked.loadBalancers, checked.serviceRegistries, taskDefinition);
    const roleArn =
      checked.roleArn ??
      (taskDefinition.networkMode === 'awsvpc' || checked.serviceRegistries.length > 0
        ? serviceLinkedRoleArn(ctx.partition.accountId)
        : undefined);
    const service: Wire<Service> = {
      serviceArn: serviceArn(ctx.partition, cluster, name),
      serviceName: name,
      clusterArn: clusterRecord.clusterArn,
      loadBalancers: checked.loadBalancers,
      serviceRegistries: checked.serviceRegistries,
      status: 'ACTIVE',
      desiredCount: input.desiredCount ?? 0,
      ...launch,
      taskDefinition: taskDefinition.taskDefinitionArn,
      deploymentConfiguration,
      deployments: [],
      roleArn,
      events: publicIpEvents(ctx, name, networkConfiguration, now),
      createdAt: epochSeconds(now),
      placementConstraints: checked.placementConstraints,
      placementStrategy: checked.placementStrategy,
      networkConfiguration,
      healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
      schedulingStrategy: scheduling,
      deploymentController: { type: 'ECS' },
      tags: input.tags ?? [],
      createdBy: callerArn(ctx.partition.accountId),
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      propagateTags,
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      availabilityZoneRebalancing,
    };
    service.deployments = [newDeployment(service, deploymentId(ctx.rng), now)];
    const next: ServiceRecord = { service: compact(service), clusterName: cluster };
    if (input.clientToken !== undefined) next.clientToken = input.clientToken;
    next.requestHash = fingerprint;
    await tx.put(Kind.Service, key, next, existing ? existing.version : 'absent');
    return { record: next, created: true };
  });
  return { service: serviceView(record, (record.service.tags ?? []).length > 0 ? ['TAGS'] : []) };
}

/**
 * CreateService defaults availabilityZoneRebalancing to ENABLED ("For create service requests,
 * when no value is specified ... ECS defaults the value to ENABLED"); a service that may not run
 * above its desired count cannot rebalance, and daemon services place one task per instance.
 */
function defaultRebalancing(
  scheduling: SchedulingStrategy,
  maximumPercent: number | undefined,
): 'ENABLED' | 'DISABLED' {
  if (scheduling === 'DAEMON' || (maximumPercent ?? 200) <= 100) return 'DISABLED';
  return 'ENABLED';
}

/**
 * AWS would give each task a public address for `assignPublicIp: ENABLED`; Longshore has none to
 * give, so the service says so once, in its events, instead of accepting it silently.
 */
function publicIpEvents(
  ctx: EcsContext,
  name: string,
  network: NetworkConfiguration | undefined,
  now: number,
): Wire<ServiceEvent>[] {
  if (network?.awsvpcConfiguration?.assignPublicIp !== 'ENABLED') return [];
  return [
    {
      id: uuidFrom(ctx.rng),
      createdAt: epochSeconds(now),
      message: `(service ${name}) assignPublicIp is ENABLED, but Longshore gives tasks no public address: they reach other networks through their host's NAT either way, and the host reaches their private addresses (docs/networking.md).`,
    },
  ];
}
