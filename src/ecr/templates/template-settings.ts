/**
 * Repository creation templates as ECR checks and answers them, shared by Create, Update,
 * Describe and Delete: the prefix, what the template applies for, and the repository settings it
 * carries (each checked as CreateRepository, SetRepositoryPolicy and PutLifecyclePolicy check it).
 */
import type { RepositoryCreationTemplate } from '@aws-sdk/client-ecr';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { parseLifecyclePolicy } from '../model/lifecycle-policy.ts';
import type { EcrContext } from '../model/records.ts';
import type { RepositoryTemplateRecord, TemplateScenario } from '../model/registry-settings.ts';
import { checkTagMutability, invalidEnum, invalidParameter } from '../model/repositories.ts';
import { checkRepositoryPolicy } from '../policies/policy-document.ts';
import { checkTags, mergeTags } from '../tags/resource-tags.ts';

/** The model's pattern for a template prefix (a namespace, optionally ending in `/`, or ROOT), 1-256 characters. */
const PREFIX = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const SCENARIOS: readonly TemplateScenario[] = ['REPLICATION', 'PULL_THROUGH_CACHE', 'CREATE_ON_PUSH'];
const ENCRYPTION_TYPES = ['AES256', 'KMS', 'KMS_DSSE'] as const;
const KMS_KEY = /^$|^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+$/;

export function checkPrefix(prefix: string): void {
  if (prefix.length < 1 || prefix.length > 256) {
    throw invalidParameter('prefix', 'Member must have length between 1 and 256');
  }
  if (!PREFIX.test(prefix)) {
    throw invalidParameter('prefix', `Member must satisfy regular expression pattern: ${PREFIX.source}`);
  }
}

export function templateAlreadyExists(ctx: EcrContext, prefix: string): ServiceError {
  return new ServiceError(
    'TemplateAlreadyExistsException',
    `The repository creation template with prefix '${prefix}' already exists in the registry with id '${ctx.partition.accountId}'`,
  );
}

export function templateNotFound(ctx: EcrContext, prefix: string): ServiceError {
  return new ServiceError(
    'TemplateNotFoundException',
    `The repository creation template with prefix '${prefix}' does not exist in the registry with id '${ctx.partition.accountId}'`,
  );
}

/** What Create and Update take besides the prefix; every member optional (Update keeps what is absent). */
export interface TemplateInput {
  description?: string;
  encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
  resourceTags?: { Key?: string; Value?: string }[];
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: { filterType?: string; filter?: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor?: string[];
  customRoleArn?: string;
}

/** `input` checked and laid over `base` (a new template's defaults, or the stored template). */
export function applyTemplateInput(
  base: Omit<RepositoryTemplateRecord, 'createdAt' | 'updatedAt'>,
  input: TemplateInput,
): Omit<RepositoryTemplateRecord, 'createdAt' | 'updatedAt'> {
  const out = { ...base };
  if (input.description !== undefined) {
    if (input.description.length > 256) {
      throw invalidParameter('description', 'Member must have length less than or equal to 256');
    }
    out.description = input.description;
  }
  if (input.appliedFor !== undefined) {
    if (input.appliedFor.length === 0) {
      throw invalidParameter('appliedFor', 'Member must have length greater than or equal to 1');
    }
    for (const a of input.appliedFor) {
      if (!(SCENARIOS as readonly string[]).includes(a)) throw invalidEnum('appliedFor', a, SCENARIOS);
    }
    out.appliedFor = [...new Set(input.appliedFor)] as TemplateScenario[];
  }
  if (input.encryptionConfiguration !== undefined) {
    const type = input.encryptionConfiguration.encryptionType ?? '';
    if (!(ENCRYPTION_TYPES as readonly string[]).includes(type)) {
      throw invalidEnum('encryptionType', type, ENCRYPTION_TYPES);
    }
    const key = input.encryptionConfiguration.kmsKey;
    if (type === 'AES256' && key) {
      throw invalidParameter(
        'encryptionConfiguration',
        'KMS key should not be specified for AES256 encryption type',
      );
    }
    if (key !== undefined && (key.length > 2048 || !KMS_KEY.test(key))) {
      throw invalidParameter('kmsKey', `Member must satisfy regular expression pattern: ${KMS_KEY.source}`);
    }
    out.encryptionConfiguration = { encryptionType: type, ...(key ? { kmsKey: key } : {}) };
  }
  if (input.resourceTags !== undefined) out.resourceTags = mergeTags([], checkTags(input.resourceTags));
  if (input.imageTagMutability !== undefined || input.imageTagMutabilityExclusionFilters !== undefined) {
    const checked = checkTagMutability(
      input.imageTagMutability ?? base.imageTagMutability ?? 'MUTABLE',
      input.imageTagMutabilityExclusionFilters as { filterType: string; filter: string }[] | undefined,
    );
    out.imageTagMutability = checked.imageTagMutability;
    if (checked.imageTagMutabilityExclusionFilters) {
      out.imageTagMutabilityExclusionFilters = checked.imageTagMutabilityExclusionFilters;
    } else {
      delete out.imageTagMutabilityExclusionFilters;
    }
  }
  if (input.repositoryPolicy !== undefined) {
    if (input.repositoryPolicy === '') delete out.repositoryPolicy;
    else {
      checkRepositoryPolicy(input.repositoryPolicy);
      out.repositoryPolicy = input.repositoryPolicy;
    }
  }
  if (input.lifecyclePolicy !== undefined) {
    if (input.lifecyclePolicy === '') delete out.lifecyclePolicy;
    else {
      parseLifecyclePolicy(input.lifecyclePolicy);
      out.lifecyclePolicy = input.lifecyclePolicy;
    }
  }
  if (input.customRoleArn !== undefined) {
    if (input.customRoleArn.length > 2048) {
      throw invalidParameter('customRoleArn', 'Member must have length less than or equal to 2048');
    }
    if (input.customRoleArn === '') delete out.customRoleArn;
    else out.customRoleArn = input.customRoleArn;
  }
  return out;
}

export function templateShape(t: RepositoryTemplateRecord): Wire<RepositoryCreationTemplate> {
  return {
    prefix: t.prefix,
    ...(t.description !== undefined ? { description: t.description } : {}),
    encryptionConfiguration: { ...(t.encryptionConfiguration ?? { encryptionType: 'AES256' }) },
    resourceTags: t.resourceTags.map((tag) => ({ ...tag })),
    imageTagMutability: t.imageTagMutability ?? 'MUTABLE',
    ...(t.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: t.imageTagMutabilityExclusionFilters.map((f) => ({ ...f })) }
      : {}),
    ...(t.repositoryPolicy !== undefined ? { repositoryPolicy: t.repositoryPolicy } : {}),
    ...(t.lifecyclePolicy !== undefined ? { lifecyclePolicy: t.lifecyclePolicy } : {}),
    appliedFor: [...t.appliedFor],
    ...(t.customRoleArn !== undefined ? { customRoleArn: t.customRoleArn } : {}),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  } as Wire<RepositoryCreationTemplate>;
}
