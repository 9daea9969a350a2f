/**
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies (Scope All/AWS/Local, OnlyAttached),
 * DeletePolicy, and their versions (Create/Get/List/DeletePolicyVersion, SetDefaultPolicyVersion).
 * AWS managed policies are read-only data (`managed-policies/`); customer ones keep up to five versions.
 */
import { Kind } from '../store/store.ts';
import {
  alreadyExists,
  arnFor,
  checkName,
  checkPath,
  checkPathPrefix,
  checkTags,
  encodeDocument,
  type MarkerInput,
  page,
  seconds,
  validationError,
} from './common.ts';
import { attachmentCounts, mustGetAttachable, mustGetCustomerPolicy } from './entities.ts';
import { IamErrorCode, iamError, noSuchEntity } from './model/errors.ts';
import { IdPrefix, newIamId } from './model/ids.ts';
import { type AwsManagedPolicy, awsManagedPolicies } from './model/managed.ts';
import { validatePolicyDocument } from './model/policy-document.ts';
import { type IamContext, type IamTag, nameKey, type PolicyRecord } from './model/records.ts';

/** IAM's quotas: a managed policy's document (characters without whitespace) and its versions. */
export const MANAGED_POLICY_QUOTA = { name: 'PolicySize', size: 6144 };
export const MAX_POLICY_VERSIONS = 5;

interface Counts {
  attached: number;
  boundaries: number;
}

function customerOut(p: PolicyRecord, counts: Counts, withTags: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: counts.attached,
    PermissionsBoundaryUsageCount: counts.boundaries,
    IsAttachable: true,
    CreateDate: seconds(p.createDate),
    UpdateDate: seconds(p.updateDate),
  };
  if (p.description !== undefined) out.Description = p.description;
  if (withTags && p.tags.length > 0) out.Tags = p.tags;
  return out;
}

function awsOut(p: AwsManagedPolicy, counts: Counts, withDescription: boolean): Record<string, unknown> {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: counts.attached,
    PermissionsBoundaryUsageCount: counts.boundaries,
    IsAttachable: true,
    ...(withDescription ? { Description: p.description } : {}),
    CreateDate: seconds(p.createDate),
    UpdateDate: seconds(p.updateDate),
  };
}

function checkPolicyArn(arn: string): void {
  if (arn.length < 20 || !arn.startsWith('arn:')) {
    throw validationError('policyArn', arn, 'Member must have length greater than or equal to 20');
  }
}

export async function createPolicy(
  ctx: IamContext,
  input: { PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: IamTag[] },
) {
  checkName('policyName', input.PolicyName, 128);
  const path = checkPath(input.Path);
  const tags = checkTags(input.Tags);
  validatePolicyDocument(input.PolicyDocument, 'identity', MANAGED_POLICY_QUOTA);
  const now = ctx.clock.now();
  const policy: PolicyRecord = {
    policyName: input.PolicyName,
    policyId: newIamId(ctx.rng, IdPrefix.Policy),
    arn: arnFor(ctx, 'policy', path, input.PolicyName),
    path,
    createDate: now,
    updateDate: now,
    defaultVersionId: 'v1',
    nextVersion: 2,
    versions: [{ versionId: 'v1', document: input.PolicyDocument, createDate: now }],
    tags,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamPolicy, nameKey(input.PolicyName))) {
      throw alreadyExists(
        `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`,
      );
    }
    await tx.put(Kind.IamPolicy, nameKey(input.PolicyName), policy, 'absent');
  });
  return { Policy: customerOut(policy, { attached: 0, boundaries: 0 }, true) };
}

export async function getPolicy(ctx: IamContext, input: { PolicyArn: string }) {
  checkPolicyArn(input.PolicyArn);
  const found = await mustGetAttachable(ctx.store, input.PolicyArn);
  const { attached, boundaries } = await attachmentCounts(ctx.store);
  const counts = {
    attached: attached.get(input.PolicyArn) ?? 0,
    boundaries: boundaries.get(input.PolicyArn) ?? 0,
  };
  return {
    Policy:
      found.type === 'aws' ? awsOut(found.policy, counts, true) : customerOut(found.policy, counts, true),
  };
}

export async function listPolicies(
  ctx: IamContext,
  input: MarkerInput & {
    Scope?: 'All' | 'AWS' | 'Local';
    OnlyAttached?: boolean;
    PathPrefix?: string;
    PolicyUsageFilter?: string;
  },
) {
  const scope = input.Scope ?? 'All';
  const prefix = checkPathPrefix(input.PathPrefix);
  const { attached, boundaries } = await attachmentCounts(ctx.store);
  const countsOf = (arn: string) => ({
    attached: attached.get(arn) ?? 0,
    boundaries: boundaries.get(arn) ?? 0,
  });
  const rows: { key: string; arn: string; out: Record<string, unknown> }[] = [];
  if (scope !== 'Local') {
    for (const p of awsManagedPolicies().values())
      rows.push({ key: p.policyName, arn: p.arn, out: awsOut(p, countsOf(p.arn), false) });
  }
  if (scope !== 'AWS') {
    for (const r of await ctx.store.list<PolicyRecord>(Kind.IamPolicy)) {
      rows.push({
        key: r.value.policyName,
        arn: r.value.arn,
        out: customerOut(r.value, countsOf(r.value.arn), false),
      });
    }
  }
  const kept = rows.filter((row) => {
    if (!String(row.out.Path).startsWith(prefix)) return false;
    const counts = countsOf(row.arn);
    if (input.OnlyAttached && counts.attached === 0) return false;
    if (input.PolicyUsageFilter === 'PermissionsPolicy' && counts.attached === 0) return false;
    if (input.PolicyUsageFilter === 'PermissionsBoundary' && counts.boundaries === 0) return false;
    return true;
  });
  const { items, ...rest } = page(kept, (row) => `${row.key}\u0000${row.arn}`, input);
  return { Policies: items.map((row) => row.out), ...rest };
}

export async function deletePolicy(ctx: IamContext, input: { PolicyArn: string }) {
  checkPolicyArn(input.PolicyArn);
  await ctx.store.transact(async (tx) => {
    const policy = await mustGetCustomerPolicy(tx, input.PolicyArn);
    const { attached, boundaries } = await attachmentCounts(tx);
    if ((attached.get(input.PolicyArn) ?? 0) + (boundaries.get(input.PolicyArn) ?? 0) > 0) {
      throw iamError(IamErrorCode.DeleteConflict, 'Cannot delete a policy attached to entities.');
    }
    if (policy.value.versions.length > 1) {
      throw iamError(
        IamErrorCode.DeleteConflict,
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    await tx.remove(Kind.IamPolicy, policy.key, policy.version);
  });
  return {};
}

function versionOut(versionId: string, document: string | undefined, isDefault: boolean, createDate: number) {
  return {
    ...(document !== undefined ? { Document: encodeDocument(document) } : {}),
    VersionId: versionId,
    IsDefaultVersion: isDefault,
    CreateDate: seconds(createDate),
  };
}

export async function createPolicyVersion(
  ctx: IamContext,
  input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean },
) {
  checkPolicyArn(input.PolicyArn);
  validatePolicyDocument(input.PolicyDocument, 'identity', MANAGED_POLICY_QUOTA);
  return ctx.store.transact(async (tx) => {
    const policy = await mustGetCustomerPolicy(tx, input.PolicyArn);
    const p = policy.value;
    if (p.versions.length >= MAX_POLICY_VERSIONS) {
      throw iamError(
        IamErrorCode.LimitExceeded,
        `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    const now = ctx.clock.now();
    const versionId = `v${p.nextVersion}`;
    const next: PolicyRecord = {
      ...p,
      nextVersion: p.nextVersion + 1,
      versions: [...p.versions, { versionId, document: input.PolicyDocument, createDate: now }],
      updateDate: now,
      ...(input.SetAsDefault ? { defaultVersionId: versionId } : {}),
    };
    await tx.put(Kind.IamPolicy, policy.key, next, policy.version);
    return { PolicyVersion: versionOut(versionId, undefined, input.SetAsDefault === true, now) };
  });
}

const noSuchVersion = (arn: string, versionId: string) =>
  noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);

export async function getPolicyVersion(ctx: IamContext, input: { PolicyArn: string; VersionId: string }) {
  checkPolicyArn(input.PolicyArn);
  const found = await mustGetAttachable(ctx.store, input.PolicyArn);
  if (found.type === 'aws') {
    const p = found.policy;
    if (input.VersionId !== p.defaultVersionId) throw noSuchVersion(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionOut(p.defaultVersionId, JSON.stringify(p.document), true, p.updateDate) };
  }
  const p = found.policy;
  const v = p.versions.find((x) => x.versionId === input.VersionId);
  if (!v) throw noSuchVersion(input.PolicyArn, input.VersionId);
  return {
    PolicyVersion: versionOut(v.versionId, v.document, v.versionId === p.defaultVersionId, v.createDate),
  };
}

export async function listPolicyVersions(ctx: IamContext, input: MarkerInput & { PolicyArn: string }) {
  checkPolicyArn(input.PolicyArn);
  const found = await mustGetAttachable(ctx.store, input.PolicyArn);
  const versions =
    found.type === 'aws'
      ? [versionOut(found.policy.defaultVersionId, undefined, true, found.policy.updateDate)]
      : found.policy.versions
          .map((v) =>
            versionOut(v.versionId, undefined, v.versionId === found.policy.defaultVersionId, v.createDate),
          )
          .reverse();
  const { items, ...rest } = page(versions, (v) => v.VersionId.padStart(8, '0'), input);
  return { Versions: items.reverse(), ...rest };
}

export async function deletePolicyVersion(ctx: IamContext, input: { PolicyArn: string; VersionId: string }) {
  checkPolicyArn(input.PolicyArn);
  await ctx.store.transact(async (tx) => {
    const policy = await mustGetCustomerPolicy(tx, input.PolicyArn);
    const p = policy.value;
    if (!p.versions.some((v) => v.versionId === input.VersionId))
      throw noSuchVersion(input.PolicyArn, input.VersionId);
    if (p.defaultVersionId === input.VersionId) {
      throw iamError(IamErrorCode.DeleteConflict, 'Cannot delete the default version of a policy.');
    }
    const versions = p.versions.filter((v) => v.versionId !== input.VersionId);
    await tx.put(Kind.IamPolicy, policy.key, { ...p, versions, updateDate: ctx.clock.now() }, policy.version);
  });
  return {};
}

export async function setDefaultPolicyVersion(
  ctx: IamContext,
  input: { PolicyArn: string; VersionId: string },
) {
  checkPolicyArn(input.PolicyArn);
  await ctx.store.transact(async (tx) => {
    const policy = await mustGetCustomerPolicy(tx, input.PolicyArn);
    const p = policy.value;
    if (!p.versions.some((v) => v.versionId === input.VersionId))
      throw noSuchVersion(input.PolicyArn, input.VersionId);
    await tx.put(
      Kind.IamPolicy,
      policy.key,
      { ...p, defaultVersionId: input.VersionId, updateDate: ctx.clock.now() },
      policy.version,
    );
  });
  return {};
}
