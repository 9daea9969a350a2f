/** Resolves a `resourceArn` to the stored record whose tags TagResource, UntagResource and ListTagsForResource use. */
import type { Tag } from '@aws-sdk/client-ecs';
import { parseEcsArn, ResourceType } from '../../core/arn.ts';
import type { ServiceError } from '../../core/errors.ts';
import { clusterNotFound, invalidParameter } from '../model/errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from '../clusters/cluster-rules.ts';
import type { EcsContext } from '../model/context.ts';
import { clusterName, resourceId } from '../model/lookup.ts';
import {
  type ClusterRecord,
  type ContainerInstanceRecord,
  keys,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord,
} from '../model/records.ts';
import { isExpired } from '../model/tasks/task-view.ts';

/** A taggable record: where it is stored, its current tags, and how to write new ones into it. */
export interface TagTarget {
  kind: Kind;
  key: string;
  version: number;
  tags: Tag[];
  withTags(tags: Tag[]): unknown;
}

/** ECS's answer for tagging anything in (or of) a deleted cluster. */
export function clusterInactive(): ServiceError {
  return invalidParameter('The specified cluster is inactive. Specify an active cluster and try again.');
}

/** Long ARNs only: ECS refuses `service/name`, `task/id` and `container-instance/id` with this message. */
function shortArn(): ServiceError {
  return invalidParameter('Long arn format must be used for tagging operations');
}

const TASK_DEFINITION = /^([a-zA-Z0-9_-]{1,255}):([1-9]\d{0,9})$/;

/**
 * Loads the record `resourceArn` names. A missing cluster (of the resource or the resource itself)
 * is ClusterNotFoundException, an INACTIVE one InvalidParameterException, and any other missing
 * resource the error `notFound` makes for its type (the operations differ in what ECS returns).
 */
export async function findTagTarget(
  ctx: EcsContext,
  reader: Reader,
  resourceArn: string,
  notFound: (type: string) => ServiceError,
): Promise<TagTarget> {
  const arn = parseEcsArn(resourceArn);
  if (!arn) {
    throw invalidParameter(
      `Invalid resourceArn '${resourceArn}'. Specify the full ARN of an Amazon ECS resource.`,
    );
  }
  switch (arn.type) {
    case ResourceType.Cluster: {
      const name = clusterName(ctx, resourceArn);
      const found = await reader.get<ClusterRecord>(Kind.Cluster, keys.cluster(name));
      if (!found) throw clusterNotFound();
      if (found.value.status !== 'ACTIVE') throw clusterInactive();
      return target(Kind.Cluster, found, found.value.tags, (tags) => ({ ...found.value, tags }));
    }
    case ResourceType.TaskDefinition: {
      resourceId(ctx, resourceArn, arn.type);
      const m = TASK_DEFINITION.exec(arn.resource);
      if (!m)
        throw invalidParameter(`Invalid task definition ARN '${resourceArn}': specify family:revision.`);
      const key = keys.taskDefinition(m[1], Number(m[2]));
      const found = await reader.get<TaskDefinitionRecord>(Kind.TaskDefinition, key);
      if (!found) throw notFound(arn.type);
      return target(Kind.TaskDefinition, found, found.value.tags, (tags) => ({ ...found.value, tags }));
    }
    case ResourceType.Service: {
      const { cluster, id } = await inCluster(ctx, reader, resourceArn, arn.type);
      const found = await reader.get<ServiceRecord>(Kind.Service, keys.service(cluster, id));
      if (!found) throw notFound(arn.type);
      const service = found.value.service;
      return target(Kind.Service, found, service.tags ?? [], (tags) => ({
        ...found.value,
        service: { ...service, tags },
      }));
    }
    case ResourceType.Task: {
      const { cluster, id } = await inCluster(ctx, reader, resourceArn, arn.type);
      const found = await reader.get<TaskRecord>(Kind.Task, keys.task(cluster, id));
      if (!found || isExpired(found.value, ctx.clock.now())) throw notFound(arn.type);
      const task = found.value.task;
      return target(Kind.Task, found, task.tags ?? [], (tags) => ({
        ...found.value,
        task: { ...task, tags },
      }));
    }
    case ResourceType.ContainerInstance: {
      const { cluster, id } = await inCluster(ctx, reader, resourceArn, arn.type);
      const found = await reader.get<ContainerInstanceRecord>(
        Kind.ContainerInstance,
        keys.containerInstance(cluster, id),
      );
      if (!found) throw notFound(arn.type);
      const instance = found.value.instance;
      return target(Kind.ContainerInstance, found, instance.tags ?? [], (tags) => ({
        ...found.value,
        instance: { ...instance, tags },
      }));
    }
    case ResourceType.CapacityProvider:
      if ((BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(arn.resource)) {
        throw invalidParameter(
          `The ${arn.resource} capacity provider is managed by AWS and can't be tagged.`,
        );
      }
      throw notFound(arn.type);
    default:
      throw invalidParameter(
        `Tagging is not supported for resource type '${arn.type}'. Taggable resources: capacity providers, clusters, container instances, services, task definitions, and tasks.`,
      );
  }
}

/** The cluster and id of a service, task or container instance ARN; the cluster must be ACTIVE. */
async function inCluster(
  ctx: EcsContext,
  reader: Reader,
  resourceArn: string,
  type: string,
): Promise<{ cluster: string; id: string }> {
  const ref = resourceId(ctx, resourceArn, type);
  if (ref.cluster === undefined) throw shortArn();
  const cluster = await reader.get<ClusterRecord>(Kind.Cluster, keys.cluster(ref.cluster));
  if (!cluster) throw clusterNotFound();
  if (cluster.value.status !== 'ACTIVE') throw clusterInactive();
  return { cluster: ref.cluster, id: ref.id };
}

function target(
  kind: Kind,
  found: Stored<unknown>,
  tags: readonly Tag[],
  withTags: (tags: Tag[]) => unknown,
): TagTarget {
  return { kind, key: found.key, version: found.version, tags: [...tags], withTags };
}
