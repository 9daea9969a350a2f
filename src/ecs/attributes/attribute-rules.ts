/** Attribute rules shared by PutAttributes, DeleteAttributes and ListAttributes, and target lookup. */
import type { Attribute } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../model/errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { resourceId } from '../model/lookup.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { checkMaxItems } from '../model/validation.ts';
import { LONGSHORE_ATTRIBUTE_PREFIX } from '../../core/agent-protocol.ts';

/** The only target type ECS has. */
export const TARGET_TYPE = 'container-instance';
/** Per call, and custom attributes per container instance. */
export const MAX_ATTRIBUTES_PER_CALL = 10;
export const MAX_CUSTOM_ATTRIBUTES = 10;

/** Letters, digits, hyphens, underscores, forward and back slashes, periods; 1-128 characters. */
const NAME_PATTERN = /^[a-zA-Z0-9_./\\-]{1,128}$/;
/** Also at signs, colons and inner spaces; 1-128 characters, no leading or trailing space. */
const VALUE_PATTERN = /^(?! )[a-zA-Z0-9_./\\@: -]{1,128}(?<! )$/;
/** Attributes ECS and its agent set (`ecs.os-type`, `com.amazonaws.ecs.capability.*`); not custom. */
const ECS_PREFIXES = ['ecs.', 'com.amazonaws.ecs.'];
/**
 * Attributes Longshore's agent sets (`longshore.dynamic-host-port-range`): like ECS's own, they are
 * not the user's, so they neither count against the user's quota nor can be put or deleted by them.
 */
export const LONGSHORE_PREFIX = LONGSHORE_ATTRIBUTE_PREFIX;

/** True for the user's attributes: those that count against MAX_CUSTOM_ATTRIBUTES. */
export function isCustomAttribute(name: string | undefined): boolean {
  const n = name ?? '';
  return !ECS_PREFIXES.some((prefix) => n.startsWith(prefix)) && !n.startsWith(LONGSHORE_PREFIX);
}

/** ECS's AttributeLimitExceededException message. */
export const ATTRIBUTE_LIMIT_MESSAGE = `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource. You can view the attributes of a resource with ListAttributes. You can remove existing attributes on a resource with DeleteAttributes.`;

/** Checks the list size and each attribute's name (and, when `withValue`, its optional value). */
export function validateAttributes(attributes: readonly Attribute[] | undefined, withValue: boolean): void {
  if (!attributes || attributes.length === 0) throw invalidParameter('attributes can not be empty.');
  checkMaxItems('attributes', attributes, MAX_ATTRIBUTES_PER_CALL);
  for (const a of attributes) {
    const name = a.name ?? '';
    if (!NAME_PATTERN.test(name)) {
      throw invalidParameter(
        `Invalid attribute name '${name}'. The name must contain between 1 and 128 characters: letters, numbers, hyphens, underscores, forward slashes, back slashes, or periods.`,
      );
    }
    if (name.startsWith(LONGSHORE_PREFIX)) {
      throw invalidParameter(
        `Attribute names starting with '${LONGSHORE_PREFIX}' are reserved for the Longshore agent: '${name}'. Choose a name without that prefix.`,
      );
    }
    if (!isCustomAttribute(name)) {
      throw invalidParameter(
        `Attribute names starting with 'ecs.' or 'com.amazonaws.ecs.' are reserved for Amazon ECS: '${name}'.`,
      );
    }
    if (withValue && a.value !== undefined && !VALUE_PATTERN.test(a.value)) {
      throw invalidParameter(
        `Invalid value for attribute '${name}'. The value must contain between 1 and 128 characters: letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back slashes, colons, or spaces, and can't start or end with a space.`,
      );
    }
    if (a.targetType !== undefined && a.targetType !== TARGET_TYPE) {
      throw invalidParameter(
        `Invalid targetType '${a.targetType}'. The only valid target type is ${TARGET_TYPE}.`,
      );
    }
  }
}

/** ECS's TargetNotFoundException. */
export function targetNotFound(): ServiceError {
  return new ServiceError(
    EcsErrorCode.TargetNotFound,
    "The specified target wasn't found. You can view your available container instances with ListContainerInstances. Amazon ECS container instances are cluster-specific and Region-specific.",
  );
}

/**
 * The store key of the container instance an attribute targets. `targetId` is an instance ARN, or
 * its short id when `targetType` says what it is. An instance that is deregistered, or that the
 * ARN places in another cluster, is not a target in `cluster`.
 */
export async function findTarget(
  ctx: EcsContext,
  reader: Reader,
  cluster: string,
  attribute: Attribute,
): Promise<Stored<ContainerInstanceRecord>> {
  const targetId = attribute.targetId ?? '';
  if (targetId === '') throw invalidParameter(`targetId can not be blank for attribute '${attribute.name}'.`);
  if (!targetId.startsWith('arn:') && attribute.targetType === undefined) {
    throw invalidParameter(`targetType is required when targetId is not a full ARN: '${targetId}'.`);
  }
  const ref = resourceId(ctx, targetId, TARGET_TYPE);
  if (ref.cluster !== undefined && ref.cluster !== cluster) throw targetNotFound();
  const record = await reader.get<ContainerInstanceRecord>(
    Kind.ContainerInstance,
    keys.containerInstance(cluster, ref.id),
  );
  if (!record || record.value.instance.status === 'INACTIVE') throw targetNotFound();
  return record;
}

/** The attribute as the caller sent it, without the members it left out. */
export function echoAttribute(a: Attribute): Attribute {
  const out: Attribute = { name: a.name };
  if (a.value !== undefined) out.value = a.value;
  if (a.targetType !== undefined) out.targetType = a.targetType;
  if (a.targetId !== undefined) out.targetId = a.targetId;
  return out;
}
