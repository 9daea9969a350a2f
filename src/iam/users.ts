/** CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser. */
import type { RequestContext } from '../aws/service.ts';
import { Kind } from '../store/store.ts';
import {
  alreadyExists,
  arnFor,
  checkName,
  checkPath,
  checkPathPrefix,
  checkTags,
  type MarkerInput,
  noSuchUser,
  page,
  seconds,
} from './common.ts';
import { mustGetUser } from './entities.ts';
import { IamErrorCode, iamError } from './model/errors.ts';
import { IdPrefix, newIamId } from './model/ids.ts';
import {
  type AccessKeyRecord,
  type IamContext,
  type IamTag,
  nameKey,
  type UserRecord,
} from './model/records.ts';
import { checkBoundaryArn } from './boundaries.ts';

/** The User shape; `full` adds tags and the boundary (GetUser, CreateUser). */
export function userOut(u: UserRecord, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: seconds(u.createDate),
  };
  if (full && u.permissionsBoundary) {
    out.PermissionsBoundary = {
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: u.permissionsBoundary,
    };
  }
  if (full && u.tags.length > 0) out.Tags = u.tags;
  return out;
}

export async function createUser(
  ctx: IamContext,
  input: { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: IamTag[] },
) {
  checkName('userName', input.UserName, 64);
  const path = checkPath(input.Path);
  const tags = checkTags(input.Tags);
  if (input.PermissionsBoundary) await checkBoundaryArn(ctx.store, input.PermissionsBoundary);
  const user: UserRecord = {
    userName: input.UserName,
    userId: newIamId(ctx.rng, IdPrefix.User),
    arn: arnFor(ctx, 'user', path, input.UserName),
    path,
    createDate: ctx.clock.now(),
    tags,
    groups: [],
    inlinePolicies: {},
    attachedPolicies: [],
    ...(input.PermissionsBoundary ? { permissionsBoundary: input.PermissionsBoundary } : {}),
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamUser, nameKey(input.UserName))) {
      throw alreadyExists(`User with name ${input.UserName} already exists.`);
    }
    await tx.put(Kind.IamUser, nameKey(input.UserName), user, 'absent');
  });
  return { User: userOut(user, true) };
}

/** Without UserName: the user who signed the request (root answers with the account's root ARN). */
export async function getUser(ctx: IamContext, input: { UserName?: string }, request: RequestContext) {
  let name = input.UserName;
  if (name === undefined) {
    const p = request.caller.principal;
    if (p?.type === 'user') name = p.userName;
    else if (p === undefined || p.type === 'root') {
      return { User: { UserId: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root`, CreateDate: 0 } };
    } else {
      throw iamError(IamErrorCode.Validation, 'Must specify userName when calling with non-User credentials');
    }
  }
  checkName('userName', name, 128);
  const user = await mustGetUser(ctx.store, name);
  return { User: userOut(user.value, true) };
}

export async function listUsers(ctx: IamContext, input: MarkerInput & { PathPrefix?: string }) {
  const prefix = checkPathPrefix(input.PathPrefix);
  const users = (await ctx.store.list<UserRecord>(Kind.IamUser))
    .map((r) => r.value)
    .filter((u) => u.path.startsWith(prefix));
  const { items, ...rest } = page(users, (u) => nameKey(u.userName), input);
  return { Users: items.map((u) => userOut(u, false)), ...rest };
}

export async function updateUser(
  ctx: IamContext,
  input: { UserName: string; NewPath?: string; NewUserName?: string },
) {
  checkName('userName', input.UserName, 128);
  if (input.NewUserName !== undefined) checkName('newUserName', input.NewUserName, 64);
  const newPath = input.NewPath === undefined ? undefined : checkPath(input.NewPath, 'newPath');
  await ctx.store.transact(async (tx) => {
    const current = await mustGetUser(tx, input.UserName);
    const name = input.NewUserName ?? current.value.userName;
    const path = newPath ?? current.value.path;
    const renamed = nameKey(name) !== current.key;
    if (renamed && (await tx.get(Kind.IamUser, nameKey(name)))) {
      throw alreadyExists(`User with name ${name} already exists.`);
    }
    const next: UserRecord = { ...current.value, userName: name, path, arn: arnFor(ctx, 'user', path, name) };
    if (renamed) {
      await tx.remove(Kind.IamUser, current.key, current.version);
      await tx.put(Kind.IamUser, nameKey(name), next, 'absent');
      // Access keys follow their user.
      for (const k of await tx.list<AccessKeyRecord>(Kind.IamAccessKey)) {
        if (nameKey(k.value.userName) === current.key) {
          await tx.put(Kind.IamAccessKey, k.key, { ...k.value, userName: name }, k.version);
        }
      }
    } else {
      await tx.put(Kind.IamUser, current.key, next, current.version);
    }
  });
  return {};
}

/**
 * Refused with DeleteConflict while the user has access keys, inline or attached policies, or
 * groups, in the order IAM checks them.
 */
export async function deleteUser(ctx: IamContext, input: { UserName: string }) {
  checkName('userName', input.UserName, 128);
  await ctx.store.transact(async (tx) => {
    const user = await tx.get<UserRecord>(Kind.IamUser, nameKey(input.UserName));
    if (!user) throw noSuchUser(input.UserName);
    const keys = (await tx.list<AccessKeyRecord>(Kind.IamAccessKey)).filter(
      (k) => nameKey(k.value.userName) === user.key,
    );
    const conflict = (message: string) => iamError(IamErrorCode.DeleteConflict, message);
    if (keys.length > 0) throw conflict('Cannot delete entity, must delete access keys first.');
    if (Object.keys(user.value.inlinePolicies).length > 0)
      throw conflict('Cannot delete entity, must delete policies first.');
    if (user.value.attachedPolicies.length > 0)
      throw conflict('Cannot delete entity, must detach all policies first.');
    if (user.value.groups.length > 0)
      throw conflict('Cannot delete entity, must remove users from group first.');
    await tx.remove(Kind.IamUser, user.key, user.version);
  });
  return {};
}
