/** ECS ARNs (long format) and the short names and ids ECS accepts in their place. */

/** Where ARNs live: `arn:aws:ecs:{region}:{account}:...`. */
export interface Partition {
  region: string;
  accountId: string;
}

export const ResourceType = {
  Cluster: 'cluster',
  TaskDefinition: 'task-definition',
  Task: 'task',
  Service: 'service',
  ContainerInstance: 'container-instance',
  Container: 'container',
  CapacityProvider: 'capacity-provider',
  ServiceDeployment: 'service-deployment',
  ServiceRevision: 'service-revision',
  TaskSet: 'task-set',
  Attachment: 'attachment',
} as const;
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

export function ecsArn(p: Partition, type: ResourceType, resource: string): string {
  return `arn:aws:ecs:${p.region}:${p.accountId}:${type}/${resource}`;
}

export const clusterArn = (p: Partition, name: string): string => ecsArn(p, ResourceType.Cluster, name);
export const taskArn = (p: Partition, cluster: string, id: string): string =>
  ecsArn(p, ResourceType.Task, `${cluster}/${id}`);
export const serviceArn = (p: Partition, cluster: string, name: string): string =>
  ecsArn(p, ResourceType.Service, `${cluster}/${name}`);
export const containerInstanceArn = (p: Partition, cluster: string, id: string): string =>
  ecsArn(p, ResourceType.ContainerInstance, `${cluster}/${id}`);
export const taskDefinitionArn = (p: Partition, family: string, revision: number): string =>
  ecsArn(p, ResourceType.TaskDefinition, `${family}:${revision}`);

/** A parsed ECS ARN: `resource` is everything after `type/`. */
export interface ParsedArn {
  region: string;
  accountId: string;
  type: string;
  resource: string;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

export function parseEcsArn(value: string): ParsedArn | undefined {
  const m = ARN_PATTERN.exec(value);
  if (!m) return undefined;
  return { region: m[1], accountId: m[2], type: m[3], resource: m[4] };
}

/** The last path segment of an ARN or the value itself (`cluster/x/abc` -> `abc`). */
export function lastSegment(value: string): string {
  const parsed = parseEcsArn(value);
  const rest = parsed ? parsed.resource : value;
  const slash = rest.lastIndexOf('/');
  return slash < 0 ? rest : rest.slice(slash + 1);
}
