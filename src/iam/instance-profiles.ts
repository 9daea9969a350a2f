/** Create/Get/List/DeleteInstanceProfile, Add/RemoveRoleFromInstanceProfile (one role per profile, as IAM allows). */
import { Kind } from '../store/store.ts';
import {
  alreadyExists,
  arnFor,
  checkName,
  checkPath,
  checkPathPrefix,
  checkTags,
  type MarkerInput,
  page,
  seconds,
} from './common.ts';
import { mustGetInstanceProfile, mustGetRole } from './entities.ts';
import { IamErrorCode, iamError, noSuchEntity } from './model/errors.ts';
import { IdPrefix, newIamId } from './model/ids.ts';
import {
  type IamContext,
  type IamTag,
  type InstanceProfileRecord,
  nameKey,
  type RoleRecord,
} from './model/records.ts';
import { roleOut } from './roles.ts';

async function profileOut(ctx: IamContext, p: InstanceProfileRecord): Promise<Record<string, unknown>> {
  const roles: Record<string, unknown>[] = [];
  for (const name of p.roles) {
    const role = await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(name));
    if (role) roles.push(roleOut(role.value, false));
  }
  return {
    Path: p.path,
    InstanceProfileName: p.instanceProfileName,
    InstanceProfileId: p.instanceProfileId,
    Arn: p.arn,
    CreateDate: seconds(p.createDate),
    Roles: roles,
    ...(p.tags.length > 0 ? { Tags: p.tags } : {}),
  };
}

export async function createInstanceProfile(
  ctx: IamContext,
  input: { InstanceProfileName: string; Path?: string; Tags?: IamTag[] },
) {
  checkName('instanceProfileName', input.InstanceProfileName, 128);
  const path = checkPath(input.Path);
  const profile: InstanceProfileRecord = {
    instanceProfileName: input.InstanceProfileName,
    instanceProfileId: newIamId(ctx.rng, IdPrefix.InstanceProfile),
    arn: arnFor(ctx, 'instance-profile', path, input.InstanceProfileName),
    path,
    createDate: ctx.clock.now(),
    roles: [],
    tags: checkTags(input.Tags),
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamInstanceProfile, nameKey(input.InstanceProfileName))) {
      throw alreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`);
    }
    await tx.put(Kind.IamInstanceProfile, nameKey(input.InstanceProfileName), profile, 'absent');
  });
  return { InstanceProfile: await profileOut(ctx, profile) };
}

export async function getInstanceProfile(ctx: IamContext, input: { InstanceProfileName: string }) {
  checkName('instanceProfileName', input.InstanceProfileName, 128);
  const profile = await mustGetInstanceProfile(ctx.store, input.InstanceProfileName);
  return { InstanceProfile: await profileOut(ctx, profile.value) };
}

export async function listInstanceProfiles(ctx: IamContext, input: MarkerInput & { PathPrefix?: string }) {
  const prefix = checkPathPrefix(input.PathPrefix);
  const profiles = (await ctx.store.list<InstanceProfileRecord>(Kind.IamInstanceProfile))
    .map((r) => r.value)
    .filter((p) => p.path.startsWith(prefix));
  const { items, ...rest } = page(profiles, (p) => nameKey(p.instanceProfileName), input);
  const out = [];
  for (const p of items) out.push(await profileOut(ctx, p));
  return { InstanceProfiles: out, ...rest };
}

export async function listInstanceProfilesForRole(
  ctx: IamContext,
  input: MarkerInput & { RoleName: string },
) {
  checkName('roleName', input.RoleName, 64);
  const role = await mustGetRole(ctx.store, input.RoleName);
  const profiles = (await ctx.store.list<InstanceProfileRecord>(Kind.IamInstanceProfile))
    .map((r) => r.value)
    .filter((p) => p.roles.some((r) => nameKey(r) === role.key));
  const { items, ...rest } = page(profiles, (p) => nameKey(p.instanceProfileName), input);
  const out = [];
  for (const p of items) out.push(await profileOut(ctx, p));
  return { InstanceProfiles: out, ...rest };
}

export async function addRoleToInstanceProfile(
  ctx: IamContext,
  input: { InstanceProfileName: string; RoleName: string },
) {
  checkName('instanceProfileName', input.InstanceProfileName, 128);
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const profile = await mustGetInstanceProfile(tx, input.InstanceProfileName);
    const role = await mustGetRole(tx, input.RoleName);
    if (profile.value.roles.length >= 1) {
      throw iamError(
        IamErrorCode.LimitExceeded,
        'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      );
    }
    const roles = [role.value.roleName];
    await tx.put(Kind.IamInstanceProfile, profile.key, { ...profile.value, roles }, profile.version);
  });
  return {};
}

export async function removeRoleFromInstanceProfile(
  ctx: IamContext,
  input: { InstanceProfileName: string; RoleName: string },
) {
  checkName('instanceProfileName', input.InstanceProfileName, 128);
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const profile = await mustGetInstanceProfile(tx, input.InstanceProfileName);
    const roles = profile.value.roles.filter((r) => nameKey(r) !== nameKey(input.RoleName));
    if (roles.length === profile.value.roles.length) {
      throw noSuchEntity(`The role with name ${input.RoleName} cannot be found.`);
    }
    await tx.put(Kind.IamInstanceProfile, profile.key, { ...profile.value, roles }, profile.version);
  });
  return {};
}

export async function deleteInstanceProfile(ctx: IamContext, input: { InstanceProfileName: string }) {
  checkName('instanceProfileName', input.InstanceProfileName, 128);
  await ctx.store.transact(async (tx) => {
    const profile = await mustGetInstanceProfile(tx, input.InstanceProfileName);
    if (profile.value.roles.length > 0) {
      throw iamError(
        IamErrorCode.DeleteConflict,
        'Cannot delete entity, must remove roles from instance profile first.',
      );
    }
    await tx.remove(Kind.IamInstanceProfile, profile.key, profile.version);
  });
  return {};
}
