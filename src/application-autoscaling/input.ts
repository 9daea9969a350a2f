/** Input rules shared by the Application Auto Scaling handlers: the target's identity, capacities, tags, paging. */
import type { ServiceError } from '../core/errors.ts';
import { ServiceError as Err } from '../core/errors.ts';
import { paginate, type Page } from '../aws/pagination.ts';
import { ECS_DIMENSION, ECS_NAMESPACE, keys } from './model/records.ts';
import { parseEcsResourceId } from './model/ecs-service.ts';
import { validation } from './model/targets.ts';

/** The model's ServiceNamespace values: Longshore scales only `ecs`, the others are known and refused. */
const NAMESPACES = [
  'ecs',
  'elasticmapreduce',
  'ec2',
  'appstream',
  'dynamodb',
  'rds',
  'sagemaker',
  'custom-resource',
  'comprehend',
  'lambda',
  'cassandra',
  'kafka',
  'elasticache',
  'neptune',
  'workspaces',
] as const;

const UNSUPPORTED = 'Unsupported service namespace, resource type or scalable dimension';

/** A ServiceNamespace of the model; Coral's enum message otherwise. */
export function checkNamespace(value: unknown): string {
  if (typeof value !== 'string' || !(NAMESPACES as readonly string[]).includes(value)) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [${NAMESPACES.join(', ')}]`,
    );
  }
  return value;
}

export interface TargetId {
  namespace: string;
  resourceId: string;
  dimension: string;
  cluster: string;
  service: string;
  key: string;
}

/** The identity of an ECS scalable target: namespace `ecs`, `service/CLUSTER/SERVICE`, `ecs:service:DesiredCount`. */
export function checkTargetId(input: {
  ServiceNamespace?: unknown;
  ResourceId?: unknown;
  ScalableDimension?: unknown;
}): TargetId {
  const namespace = checkNamespace(input.ServiceNamespace);
  const resourceId = input.ResourceId;
  if (typeof resourceId !== 'string' || resourceId.length < 1 || resourceId.length > 1600) {
    throw validation('ResourceId must be 1 to 1600 characters.');
  }
  if (namespace !== ECS_NAMESPACE) {
    throw validation(`Longshore scales ECS services only; service namespace ${namespace} is not supported.`);
  }
  const parts = parseEcsResourceId(resourceId);
  if (!parts || input.ScalableDimension !== ECS_DIMENSION) throw validation(UNSUPPORTED);
  return {
    namespace,
    resourceId,
    dimension: ECS_DIMENSION,
    ...parts,
    key: keys.target(namespace, resourceId, ECS_DIMENSION),
  };
}

/** The optional ResourceId / ScalableDimension filters of the Describe operations. */
export function checkFilter(input: { ResourceId?: unknown; ScalableDimension?: unknown }): {
  resourceId?: string;
  dimension?: string;
} {
  const { ResourceId: resourceId, ScalableDimension: dimension } = input;
  if (dimension !== undefined && resourceId === undefined) {
    throw validation('If you specify a scalable dimension, you must also specify a resource ID.');
  }
  return {
    ...(typeof resourceId === 'string' ? { resourceId } : {}),
    ...(typeof dimension === 'string' ? { dimension } : {}),
  };
}

/** A capacity: an integer of at least 0. */
export function checkCapacity(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw validation(`${name} must be an integer greater than or equal to 0.`);
  }
  return value;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the model's pattern excludes control characters.
const NAME_REFUSED = /[\u0000-\u001f\u007f-\u009f:/|]|^ | $/;

/** Names of policies and scheduled actions: 1 to 256 characters, no control characters, `:`, `/`, `|`, or edge spaces. */
export function checkName(member: string, value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 256 || NAME_REFUSED.test(value)) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!((^[ ]+.*)|(.*([\\u0000-\\u001f]|[\\u007f-\\u009f]|[:/|])+.*)|(.*[ ]+$))).+`,
    );
  }
  return value;
}

export const MAX_TAGS = 50;

/** A TagMap: keys 1 to 128 characters (not `aws:`), values up to 256. */
export function checkTags(tags: unknown, resource: string): Record<string, string> {
  if (tags === undefined) return {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
    throw validation('Tags must be a map.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (k.length < 1 || k.length > 128) throw validation('Tag keys must be 1 to 128 characters.');
    if (k.toLowerCase().startsWith('aws:'))
      throw validation('Tag keys may not begin with the reserved prefix aws:.');
    if (typeof v !== 'string' || v.length > 256)
      throw validation('Tag values must be at most 256 characters.');
    out[k] = v;
  }
  if (Object.keys(out).length > MAX_TAGS) throw tooManyTags(resource);
  return out;
}

export function tooManyTags(resource: string): ServiceError {
  return new Err('TooManyTagsException', 'The number of tags exceeds the limit of 50 tags per resource.', {
    ResourceName: resource,
  });
}

/** MaxResults 1 to 50 (50 by default), NextToken opaque: InvalidNextTokenException when it is not ours. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { MaxResults?: number; NextToken?: string },
): Page<T> {
  return paginate(
    items,
    keyOf,
    {
      ...(input.MaxResults !== undefined ? { maxResults: input.MaxResults } : {}),
      ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
    },
    { max: 50, default: 50 },
    (message) =>
      message.startsWith('Invalid nextToken')
        ? new Err('InvalidNextTokenException', 'Invalid token')
        : validation(`MaxResults must be between 1 and 50, got ${String(input.MaxResults)}.`),
  );
}

/** Epoch seconds (the wire) -> epoch ms. */
export const ms = (seconds: number) => Math.round(seconds * 1000);
/** Epoch ms -> epoch seconds (the wire). */
export const seconds = (epochMs: number) => epochMs / 1000;
