/**
 * loadBalancers, serviceRegistries and role. Shapes and container references are checked as ECS
 * checks them; then every referenced target group must exist in the region's ELBv2, be used by a
 * load balancer, and have the target type the task definition's network mode registers (`ip` for
 * awsvpc, `instance` for bridge and host). Classic Load Balancers and Cloud Map do not exist in
 * Longshore, so naming one fails with ECS's error for a missing one.
 */
import type { LoadBalancer, ServiceRegistry, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Reader } from '../../store/store.ts';
import { clientException, invalidParameter } from '../model/errors.ts';
import type { Wire } from '../../core/wire.ts';

/** arn:aws:elasticloadbalancing:region:account:targetgroup/name/16-hex-id */
const TARGET_GROUP_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
/** arn:aws:servicediscovery:region:account:service/srv-id */
const REGISTRY_ARN = /^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:service\/srv-[a-z0-9]+$/;
const MAX_TARGET_GROUPS = 5;

export function validateLoadBalancers(
  loadBalancers: readonly LoadBalancer[],
  taskDefinition: Wire<TaskDefinition>,
): LoadBalancer[] {
  if (loadBalancers.length > MAX_TARGET_GROUPS) {
    throw invalidParameter(
      `A service can have at most ${MAX_TARGET_GROUPS} load balancers; got ${loadBalancers.length}.`,
    );
  }
  return loadBalancers.map((lb) => {
    if (lb.targetGroupArn !== undefined && lb.loadBalancerName !== undefined) {
      throw invalidParameter('Specify either a targetGroupArn or a loadBalancerName, not both.');
    }
    if (lb.targetGroupArn === undefined && lb.loadBalancerName === undefined) {
      throw invalidParameter('A load balancer needs a targetGroupArn or a loadBalancerName.');
    }
    if (lb.targetGroupArn !== undefined && !TARGET_GROUP_ARN.test(lb.targetGroupArn)) {
      // What ECS answers when targetGroupArn is not a target group ARN (e.g. a name; Shippable/support#4698).
      throw invalidParameter(
        'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
      );
    }
    if (taskDefinition.networkMode === 'awsvpc' && lb.loadBalancerName !== undefined) {
      throw invalidParameter('Classic Load Balancers are not supported with the awsvpc network mode.');
    }
    checkContainerPort(lb.containerName, lb.containerPort, taskDefinition);
    const out: LoadBalancer = {};
    if (lb.targetGroupArn !== undefined) out.targetGroupArn = lb.targetGroupArn;
    if (lb.loadBalancerName !== undefined) out.loadBalancerName = lb.loadBalancerName;
    out.containerName = lb.containerName;
    out.containerPort = lb.containerPort;
    return out;
  });
}

export function validateServiceRegistries(
  registries: readonly ServiceRegistry[],
  taskDefinition: Wire<TaskDefinition>,
): ServiceRegistry[] {
  if (registries.length > 1) {
    throw invalidParameter('A service can be associated with only one service registry.');
  }
  for (const r of registries) {
    if (r.registryArn === undefined || !REGISTRY_ARN.test(r.registryArn)) {
      throw invalidParameter(
        `The format of the supplied service registry ARN is invalid: ${r.registryArn ?? ''}.`,
      );
    }
    if (r.containerName !== undefined || r.containerPort !== undefined) {
      checkContainerPort(r.containerName, r.containerPort, taskDefinition);
    }
  }
  return registries.map((r) => ({ ...r }));
}

/** ECS's InvalidParameterException text for a `role` on a service that uses the service-linked role. */
export const ROLE_NOT_ALLOWED =
  'You cannot specify an IAM role for services that require a service linked role.';

/**
 * `role` is only for a service with one load balancer whose tasks do not use awsvpc. Every other
 * service uses the service-linked role (awsvpc, service discovery, several target groups, and
 * no load balancer at all), and ECS refuses the role with one message for all of them
 * (aws/containers-roadmap#461, cloudposse/terraform-aws-ecs-alb-service-task#118).
 */
export function resolveRole(
  role: string | undefined,
  loadBalancers: readonly LoadBalancer[],
  registries: readonly ServiceRegistry[],
  taskDefinition: Wire<TaskDefinition>,
  accountId: string,
): string | undefined {
  if (role === undefined || role === '') return undefined;
  const linkedRole =
    taskDefinition.networkMode === 'awsvpc' || loadBalancers.length !== 1 || registries.length > 0;
  if (linkedRole) throw invalidParameter(ROLE_NOT_ALLOWED);
  if (role.startsWith('arn:')) return role;
  const path = role.startsWith('/') ? role.slice(1) : role;
  return `arn:aws:iam::${accountId}:role/${path}`;
}

/**
 * Every target group must exist, be associated with a load balancer and match the network mode;
 * Classic Load Balancers and Cloud Map services do not exist here. ECS's texts.
 */
export async function requireTargets(
  reader: Reader,
  loadBalancers: readonly LoadBalancer[],
  registries: readonly ServiceRegistry[],
  taskDefinition: Wire<TaskDefinition>,
): Promise<void> {
  // ELBv2's model loads with the first service that names a target group.
  const elbv2 = loadBalancers.length > 0 ? await import('../../elbv2/model/index.ts') : undefined;
  for (const lb of loadBalancers) {
    if (lb.targetGroupArn === undefined || !elbv2) {
      throw invalidParameter(`The load balancer ${lb.loadBalancerName} does not exist.`);
    }
    const tg = await elbv2.getTargetGroup(reader, lb.targetGroupArn);
    if (!tg) throw invalidParameter(`The target group ${lb.targetGroupArn} does not exist.`);
    if ((await elbv2.targetGroupLoadBalancers(reader, tg.arn)).length === 0) {
      throw invalidParameter(
        `The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`,
      );
    }
    const mode = taskDefinition.networkMode ?? 'bridge';
    const wanted = mode === 'awsvpc' ? 'ip' : 'instance';
    if (tg.targetType !== wanted) {
      throw invalidParameter(
        `The provided target group ${tg.arn} has target type ${tg.targetType}, which is incompatible with the ${mode} network mode specified in the task definition.`,
      );
    }
  }
  if (registries.length > 0) {
    // As UpdateService reported it for a deleted Cloud Map service (terraform-provider-aws#17386).
    throw clientException('The service registry could not be validated. Route 53 error: "ServiceNotFound."');
  }
}

function checkContainerPort(
  containerName: string | undefined,
  containerPort: number | undefined,
  taskDefinition: Wire<TaskDefinition>,
): void {
  if (containerName === undefined || containerName === '')
    throw invalidParameter('Container Name can not be blank.');
  const container = (taskDefinition.containerDefinitions ?? []).find((c) => c.name === containerName);
  if (!container)
    throw invalidParameter(`The container ${containerName} does not exist in the task definition.`);
  if (containerPort === undefined) throw invalidParameter('Container Port can not be blank.');
  const ports = (container.portMappings ?? []).map((p) => p.containerPort);
  if (!ports.includes(containerPort)) {
    throw invalidParameter(
      `The container ${containerName} did not have a container port ${containerPort} defined.`,
    );
  }
}
