/** CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole. */
import { Kind, type Reader } from '../store/store.ts';
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
import { mustGetRole } from './entities.ts';
import { checkBoundaryArn } from './boundaries.ts';
import { IamErrorCode, iamError, malformedPolicy } from './model/errors.ts';
import { IdPrefix, newIamId } from './model/ids.ts';
import { listOf, statementsOf, validatePolicyDocument } from './model/policy-document.ts';
import {
  type IamContext,
  type IamTag,
  type InstanceProfileRecord,
  nameKey,
  type RoleRecord,
} from './model/records.ts';

/** IAM's quota on a trust policy's size (ACLSizePerRole), in characters without whitespace. */
export const TRUST_POLICY_QUOTA = { name: 'ACLSizePerRole', size: 2048 };
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** The Role shape; `full` adds tags, boundary and last use (GetRole, CreateRole). */
export function roleOut(r: RoleRecord, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: seconds(r.createDate),
    AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
    MaxSessionDuration: r.maxSessionDuration,
  };
  if (r.description !== undefined) out.Description = r.description;
  if (!full) return out;
  if (r.permissionsBoundary) {
    out.PermissionsBoundary = {
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: r.permissionsBoundary,
    };
  }
  if (r.tags.length > 0) out.Tags = r.tags;
  out.RoleLastUsed = r.lastUsed ? { LastUsedDate: seconds(r.lastUsed.date), Region: r.lastUsed.region } : {};
  return out;
}

/**
 * A trust policy as IAM checks it: a valid document naming principals, and every user or role of
 * this account it names existing ("Invalid principal in policy").
 */
export async function checkTrustPolicy(reader: Reader, ctx: IamContext, text: string): Promise<void> {
  const doc = validatePolicyDocument(text, 'trust', TRUST_POLICY_QUOTA);
  for (const s of statementsOf(doc)) {
    const principal = (s.Principal ?? s.NotPrincipal) as Record<string, unknown> | string;
    if (typeof principal !== 'object') continue;
    for (const arn of listOf(principal.AWS)) {
      const m = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
      if (!m || m[1] !== ctx.accountId) continue;
      const kind = m[2] === 'user' ? Kind.IamUser : Kind.IamRole;
      const found = await reader.get<{ arn: string }>(kind, nameKey(m[3]!));
      if (!found || found.value.arn !== arn)
        throw malformedPolicy(`Invalid principal in policy: "AWS":"${arn}"`);
    }
  }
}

function checkMaxSessionDuration(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_SESSION_DURATION;
  if (value < 3600) {
    throw validationError(
      'maxSessionDuration',
      String(value),
      'Member must have value greater than or equal to 3600',
    );
  }
  if (value > 43200) {
    throw validationError(
      'maxSessionDuration',
      String(value),
      'Member must have value less than or equal to 43200',
    );
  }
  return value;
}

function checkDescription(value: string | undefined): void {
  if (value !== undefined && value.length > 1000) {
    throw validationError('description', value, 'Member must have length less than or equal to 1000');
  }
}

export async function createRole(
  ctx: IamContext,
  input: {
    RoleName: string;
    Path?: string;
    AssumeRolePolicyDocument: string;
    Description?: string;
    MaxSessionDuration?: number;
    PermissionsBoundary?: string;
    Tags?: IamTag[];
  },
) {
  checkName('roleName', input.RoleName, 64);
  const path = checkPath(input.Path);
  checkDescription(input.Description);
  const maxSessionDuration = checkMaxSessionDuration(input.MaxSessionDuration);
  const tags = checkTags(input.Tags);
  const role: RoleRecord = {
    roleName: input.RoleName,
    roleId: newIamId(ctx.rng, IdPrefix.Role),
    arn: arnFor(ctx, 'role', path, input.RoleName),
    path,
    createDate: ctx.clock.now(),
    assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    maxSessionDuration,
    tags,
    inlinePolicies: {},
    attachedPolicies: [],
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.PermissionsBoundary ? { permissionsBoundary: input.PermissionsBoundary } : {}),
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamRole, nameKey(input.RoleName))) {
      throw alreadyExists(`Role with name ${input.RoleName} already exists.`);
    }
    await checkTrustPolicy(tx, ctx, input.AssumeRolePolicyDocument);
    if (input.PermissionsBoundary) await checkBoundaryArn(tx, input.PermissionsBoundary);
    await tx.put(Kind.IamRole, nameKey(input.RoleName), role, 'absent');
  });
  return { Role: roleOut(role, false) };
}

export async function getRole(ctx: IamContext, input: { RoleName: string }) {
  checkName('roleName', input.RoleName, 64);
  const role = await mustGetRole(ctx.store, input.RoleName);
  return { Role: roleOut(role.value, true) };
}

export async function listRoles(ctx: IamContext, input: MarkerInput & { PathPrefix?: string }) {
  const prefix = checkPathPrefix(input.PathPrefix);
  const roles = (await ctx.store.list<RoleRecord>(Kind.IamRole))
    .map((r) => r.value)
    .filter((r) => r.path.startsWith(prefix));
  const { items, ...rest } = page(roles, (r) => nameKey(r.roleName), input);
  return { Roles: items.map((r) => roleOut(r, false)), ...rest };
}

/** Service-linked roles are AWS's to change. */
export function checkModifiable(role: RoleRecord): void {
  if (role.path.startsWith('/aws-service-role/')) {
    throw iamError(
      IamErrorCode.UnmodifiableEntity,
      `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
    );
  }
}

export async function updateRole(
  ctx: IamContext,
  input: { RoleName: string; Description?: string; MaxSessionDuration?: number },
) {
  checkName('roleName', input.RoleName, 64);
  checkDescription(input.Description);
  const max =
    input.MaxSessionDuration === undefined ? undefined : checkMaxSessionDuration(input.MaxSessionDuration);
  await ctx.store.transact(async (tx) => {
    const role = await mustGetRole(tx, input.RoleName);
    checkModifiable(role.value);
    const next: RoleRecord = {
      ...role.value,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(max !== undefined ? { maxSessionDuration: max } : {}),
    };
    await tx.put(Kind.IamRole, role.key, next, role.version);
  });
  return {};
}

export async function updateAssumeRolePolicy(
  ctx: IamContext,
  input: { RoleName: string; PolicyDocument: string },
) {
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const role = await mustGetRole(tx, input.RoleName);
    checkModifiable(role.value);
    await checkTrustPolicy(tx, ctx, input.PolicyDocument);
    await tx.put(
      Kind.IamRole,
      role.key,
      { ...role.value, assumeRolePolicyDocument: input.PolicyDocument },
      role.version,
    );
  });
  return {};
}

export async function deleteRole(ctx: IamContext, input: { RoleName: string }) {
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const role = await mustGetRole(tx, input.RoleName);
    checkModifiable(role.value);
    const conflict = (message: string) => iamError(IamErrorCode.DeleteConflict, message);
    const profiles = (await tx.list<InstanceProfileRecord>(Kind.IamInstanceProfile)).filter((p) =>
      p.value.roles.some((r) => nameKey(r) === role.key),
    );
    if (profiles.length > 0)
      throw conflict('Cannot delete entity, must remove roles from instance profile first.');
    if (Object.keys(role.value.inlinePolicies).length > 0)
      throw conflict('Cannot delete entity, must delete policies first.');
    if (role.value.attachedPolicies.length > 0)
      throw conflict('Cannot delete entity, must detach all policies first.');
    await tx.remove(Kind.IamRole, role.key, role.version);
  });
  return {};
}
