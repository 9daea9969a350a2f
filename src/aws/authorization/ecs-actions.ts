/**
 * Amazon ECS (prefix `ecs`), from the Service Authorization Reference: clusters, services, tasks,
 * container instances, task definitions and capacity providers by ARN, with `ecs:cluster` on the
 * actions that take one. Names become ARNs in the request's region and account; a task
 * definition given by family alone is `task-definition/<family>:*` (the latest revision is not
 * looked up).
 */
import {
  arnIn,
  type Resource,
  type ResourceRule,
  type Scope,
  type ServiceActions,
  str,
  strings,
} from './types.ts';

const isArn = (v: string) => v.startsWith('arn:');
const nameOf = (v: string) => (isArn(v) ? v.slice(v.lastIndexOf('/') + 1) : v);

export const ecsCluster = (scope: Scope, cluster: unknown): string => {
  const c = str(cluster) ?? 'default';
  return isArn(c) ? c : arnIn(scope, 'ecs', `cluster/${c}`);
};

/** A resource under a cluster (`service/<cluster>/<name>`, `task/<cluster>/<id>` ...). */
const underCluster = (scope: Scope, type: string, cluster: unknown, id: string): string =>
  isArn(id) ? id : arnIn(scope, 'ecs', `${type}/${nameOf(str(cluster) ?? 'default')}/${id}`);

export const ecsTaskDefinition = (scope: Scope, td: unknown): string => {
  const t = str(td) ?? '*';
  if (isArn(t)) return t;
  return arnIn(scope, 'ecs', `task-definition/${t.includes(':') ? t : `${t}:*`}`);
};

/** Resources of one type under the input's cluster, each with `ecs:cluster`. */
const clustered =
  (type: string, member: string, single = false): ResourceRule =>
  (input, scope) => {
    const cluster = ecsCluster(scope, input.cluster);
    const ids = single
      ? [str(input[member])].filter((v): v is string => v !== undefined)
      : strings(input[member]);
    return ids.map((id) => ({
      arn: underCluster(scope, type, input.cluster, id),
      context: { 'ecs:cluster': cluster },
    }));
  };

const cluster: ResourceRule = (input, scope) => [ecsCluster(scope, input.cluster)];
const anyWithCluster: ResourceRule = (input, scope) => [
  { arn: '*', context: { 'ecs:cluster': ecsCluster(scope, input.cluster) } },
];
const byArn =
  (member: string): ResourceRule =>
  (input) => [str(input[member]) ?? '*'];

/** capacityProviderStrategy's providers as `ecs:capacity-provider` (ARNs, as AWS gives the key). */
function launchKeys(input: Record<string, unknown>, scope: Scope): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = { 'ecs:cluster': ecsCluster(scope, input.cluster) };
  const providers = (Array.isArray(input.capacityProviderStrategy) ? input.capacityProviderStrategy : [])
    .map((s) => str((s as Record<string, unknown>)?.capacityProvider))
    .filter((p): p is string => p !== undefined)
    .map((p) => (isArn(p) ? p : arnIn(scope, 'ecs', `capacity-provider/${p}`)));
  if (providers.length > 0) keys['ecs:capacity-provider'] = providers;
  if (typeof input.enableExecuteCommand === 'boolean')
    keys['ecs:enable-execute-command'] = String(input.enableExecuteCommand);
  return keys;
}

const runTask: ResourceRule = (input, scope) => [
  { arn: ecsTaskDefinition(scope, input.taskDefinition), context: launchKeys(input, scope) },
];

const startTask: ResourceRule = (input, scope) => [
  {
    arn: ecsTaskDefinition(scope, input.taskDefinition),
    context: {
      ...launchKeys(input, scope),
      'ecs:container-instances': strings(input.containerInstances).map((id) =>
        underCluster(scope, 'container-instance', input.cluster, id),
      ),
    },
  },
];

const service =
  (member: string): ResourceRule =>
  (input, scope) => {
    const name = str(input[member]);
    if (!name) return ['*'];
    const context: Record<string, string | string[]> = launchKeys(input, scope);
    if (str(input.taskDefinition))
      context['ecs:task-definition'] = ecsTaskDefinition(scope, input.taskDefinition);
    return [{ arn: underCluster(scope, 'service', input.cluster, name), context }];
  };

const serviceDeployments: ResourceRule = (input) => [
  ...strings(input.serviceDeploymentArns),
  ...(str(input.serviceDeploymentArn) ? [str(input.serviceDeploymentArn)!] : []),
];

const targetInstance: ResourceRule = (input, scope) =>
  (Array.isArray(input.attributes) ? input.attributes : [])
    .map((a) => str((a as Record<string, unknown>)?.targetId))
    .filter((id): id is string => id !== undefined)
    .map(
      (id): Resource => ({
        arn: underCluster(scope, 'container-instance', input.cluster, id),
        context: { 'ecs:cluster': ecsCluster(scope, input.cluster) },
      }),
    );

/** Roles in a container override list or a task definition, handed to ECS's task service. */
function taskRoles(input: Record<string, unknown>): { arn: unknown; service: string }[] {
  const overrides = (input.overrides ?? {}) as Record<string, unknown>;
  return [input.taskRoleArn, input.executionRoleArn, overrides.taskRoleArn, overrides.executionRoleArn]
    .filter((arn) => typeof arn === 'string' && arn !== '')
    .map((arn) => ({ arn, service: 'ecs-tasks.amazonaws.com' }));
}

const serviceRole = (input: Record<string, unknown>) =>
  typeof input.role === 'string' && input.role !== ''
    ? [{ arn: input.role, service: 'ecs.amazonaws.com' }]
    : [];

export const ecsActions: ServiceActions = {
  prefix: 'ecs',
  operations: {
    DeleteCluster: cluster,
    DescribeClusters: (input, scope) => {
      const names = strings(input.clusters);
      return (names.length > 0 ? names : ['default']).map((c) => ecsCluster(scope, c));
    },
    UpdateCluster: cluster,
    UpdateClusterSettings: cluster,
    PutClusterCapacityProviders: cluster,
    DescribeCapacityProviders: (input, scope) => {
      const names = strings(input.capacityProviders);
      return names.length > 0
        ? names.map((p) => (isArn(p) ? p : arnIn(scope, 'ecs', `capacity-provider/${p}`)))
        : ['*'];
    },
    RegisterContainerInstance: cluster,
    DeregisterContainerInstance: cluster,
    DescribeContainerInstances: clustered('container-instance', 'containerInstances'),
    ListContainerInstances: cluster,
    UpdateContainerInstancesState: clustered('container-instance', 'containerInstances'),
    SubmitTaskStateChange: cluster,
    SubmitContainerStateChange: cluster,
    DeleteTaskDefinitions: (input, scope) =>
      strings(input.taskDefinitions).map((t) => ecsTaskDefinition(scope, t)),
    DescribeTasks: clustered('task', 'tasks'),
    ListTasks: anyWithCluster,
    StopTask: clustered('task', 'task', true),
    RunTask: runTask,
    StartTask: startTask,
    UpdateTaskProtection: clustered('task', 'tasks'),
    GetTaskProtection: clustered('task', 'tasks'),
    PutAttributes: targetInstance,
    DeleteAttributes: targetInstance,
    ListAttributes: cluster,
    TagResource: byArn('resourceArn'),
    UntagResource: byArn('resourceArn'),
    ListTagsForResource: byArn('resourceArn'),
    CreateService: service('serviceName'),
    UpdateService: service('service'),
    DeleteService: clustered('service', 'service', true),
    DescribeServices: clustered('service', 'services'),
    ListServices: anyWithCluster,
    ListServiceDeployments: clustered('service', 'service', true),
    DescribeServiceDeployments: serviceDeployments,
    StopServiceDeployment: serviceDeployments,
  },
  passRoles: {
    RegisterTaskDefinition: taskRoles,
    RunTask: taskRoles,
    StartTask: taskRoles,
    CreateService: serviceRole,
    UpdateService: serviceRole,
  },
};
