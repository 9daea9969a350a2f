/**
 * The checks that depend on the task definition, run on a service's effective configuration:
 * the request on CreateService, the service with the request applied on UpdateService.
 */
import type {
  LoadBalancer,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  SchedulingStrategy,
  ServiceRegistry,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { clientException, invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { Reader } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { findTaskDefinition } from '../model/task-definition-lookup.ts';
import { checkCompatibility, isFargate, type LaunchTarget } from './launch-rules.ts';
import { resolveRole, validateLoadBalancers, validateServiceRegistries } from './load-balancer-rules.ts';
import { checkNetworkMode } from '../model/network/awsvpc-config.ts';
import { FARGATE_NO_CONSTRAINTS, FARGATE_NO_STRATEGIES } from '../model/tasks/launch-support.ts';
import { validateConstraints, validateStrategies } from './placement-rules.ts';

export interface ServiceSpec {
  scheduling: SchedulingStrategy;
  taskDefinition: Wire<TaskDefinition>;
  launch: LaunchTarget;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: readonly LoadBalancer[];
  serviceRegistries: readonly ServiceRegistry[];
  role?: string;
  placementConstraints: readonly PlacementConstraint[];
  placementStrategy: readonly PlacementStrategy[];
}

/** The spec's lists as ECS stores them, and the role ARN (if any) the service reports. */
export interface CheckedSpec {
  loadBalancers: LoadBalancer[];
  serviceRegistries: ServiceRegistry[];
  placementConstraints: PlacementConstraint[];
  placementStrategy: PlacementStrategy[];
  roleArn?: string;
}

/** Cheap, local checks (the existence of target groups and registries is `requireTargets`, in the transaction). */
export function checkSpec(spec: ServiceSpec, accountId: string): CheckedSpec {
  checkCompatibility(spec.launch, spec.taskDefinition);
  checkNetworkMode(spec.networkConfiguration, spec.taskDefinition, isFargate(spec.launch));
  if (isFargate(spec.launch)) {
    if (spec.placementConstraints.length > 0) throw invalidParameter(FARGATE_NO_CONSTRAINTS);
    if (spec.placementStrategy.length > 0) throw invalidParameter(FARGATE_NO_STRATEGIES);
  }
  const placementConstraints = validateConstraints(spec.placementConstraints, spec.taskDefinition);
  const placementStrategy = validateStrategies(spec.placementStrategy, spec.scheduling);
  const loadBalancers = validateLoadBalancers(spec.loadBalancers, spec.taskDefinition);
  const serviceRegistries = validateServiceRegistries(spec.serviceRegistries, spec.taskDefinition);
  const roleArn = resolveRole(spec.role, loadBalancers, serviceRegistries, spec.taskDefinition, accountId);
  return { loadBalancers, serviceRegistries, placementConstraints, placementStrategy, roleArn };
}

/**
 * The revision a service is to run. A family alone means its latest ACTIVE revision; an INACTIVE
 * revision starts nothing new. Messages as ECS returns them (Cloud-CV/EvalAI#2419, DefangLabs/defang#775).
 */
export async function serviceTaskDefinition(
  ctx: EcsContext,
  reader: Reader,
  reference: string | undefined,
): Promise<Wire<TaskDefinition>> {
  if (reference === undefined || reference === '') {
    throw invalidParameter(
      'A task definition must be specified for services that use the ECS deployment controller.',
    );
  }
  const found = await findTaskDefinition(ctx, reader, reference);
  if (!found) throw clientException('TaskDefinition not found.');
  if (found.value.taskDefinition.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
  return found.value.taskDefinition;
}

/** The revision an existing service runs; it may have been deregistered since (that is allowed). */
export async function currentTaskDefinition(
  ctx: EcsContext,
  reader: Reader,
  arn: string | undefined,
): Promise<Wire<TaskDefinition>> {
  const found = arn ? await findTaskDefinition(ctx, reader, arn) : undefined;
  if (!found) throw clientException('TaskDefinition not found.');
  return found.value.taskDefinition;
}
