/** CreateGroup, GetGroup, ListGroups, DeleteGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser. */
import { Kind } from '../store/store.ts';
import {
  alreadyExists,
  arnFor,
  checkName,
  checkPath,
  checkPathPrefix,
  type MarkerInput,
  page,
  seconds,
} from './common.ts';
import { mustGetGroup, mustGetUser } from './entities.ts';
import { IamErrorCode, iamError } from './model/errors.ts';
import { IdPrefix, newIamId } from './model/ids.ts';
import { type GroupRecord, type IamContext, nameKey, type UserRecord } from './model/records.ts';
import { userOut } from './users.ts';

/** IAM's quota of groups per user. */
export const GROUPS_PER_USER = 10;

export function groupOut(g: GroupRecord): Record<string, unknown> {
  return {
    Path: g.path,
    GroupName: g.groupName,
    GroupId: g.groupId,
    Arn: g.arn,
    CreateDate: seconds(g.createDate),
  };
}

export async function createGroup(ctx: IamContext, input: { GroupName: string; Path?: string }) {
  checkName('groupName', input.GroupName, 128);
  const path = checkPath(input.Path);
  const group: GroupRecord = {
    groupName: input.GroupName,
    groupId: newIamId(ctx.rng, IdPrefix.Group),
    arn: arnFor(ctx, 'group', path, input.GroupName),
    path,
    createDate: ctx.clock.now(),
    inlinePolicies: {},
    attachedPolicies: [],
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamGroup, nameKey(input.GroupName))) {
      throw alreadyExists(`Group with name ${input.GroupName} already exists.`);
    }
    await tx.put(Kind.IamGroup, nameKey(input.GroupName), group, 'absent');
  });
  return { Group: groupOut(group) };
}

async function membersOf(ctx: IamContext, group: GroupRecord): Promise<UserRecord[]> {
  const key = nameKey(group.groupName);
  return (await ctx.store.list<UserRecord>(Kind.IamUser))
    .map((r) => r.value)
    .filter((u) => u.groups.some((g) => nameKey(g) === key));
}

export async function getGroup(ctx: IamContext, input: MarkerInput & { GroupName: string }) {
  checkName('groupName', input.GroupName, 128);
  const group = await mustGetGroup(ctx.store, input.GroupName);
  const { items, ...rest } = page(await membersOf(ctx, group.value), (u) => nameKey(u.userName), input);
  return { Group: groupOut(group.value), Users: items.map((u) => userOut(u, false)), ...rest };
}

export async function listGroups(ctx: IamContext, input: MarkerInput & { PathPrefix?: string }) {
  const prefix = checkPathPrefix(input.PathPrefix);
  const groups = (await ctx.store.list<GroupRecord>(Kind.IamGroup))
    .map((r) => r.value)
    .filter((g) => g.path.startsWith(prefix));
  const { items, ...rest } = page(groups, (g) => nameKey(g.groupName), input);
  return { Groups: items.map(groupOut), ...rest };
}

export async function deleteGroup(ctx: IamContext, input: { GroupName: string }) {
  checkName('groupName', input.GroupName, 128);
  await ctx.store.transact(async (tx) => {
    const group = await mustGetGroup(tx, input.GroupName);
    const conflict = (message: string) => iamError(IamErrorCode.DeleteConflict, message);
    const users = (await tx.list<UserRecord>(Kind.IamUser)).filter((u) =>
      u.value.groups.some((g) => nameKey(g) === group.key),
    );
    if (users.length > 0) throw conflict('Cannot delete entity, must remove users from group first.');
    if (Object.keys(group.value.inlinePolicies).length > 0)
      throw conflict('Cannot delete entity, must delete policies first.');
    if (group.value.attachedPolicies.length > 0)
      throw conflict('Cannot delete entity, must detach all policies first.');
    await tx.remove(Kind.IamGroup, group.key, group.version);
  });
  return {};
}

export async function addUserToGroup(ctx: IamContext, input: { GroupName: string; UserName: string }) {
  checkName('groupName', input.GroupName, 128);
  checkName('userName', input.UserName, 128);
  await ctx.store.transact(async (tx) => {
    const group = await mustGetGroup(tx, input.GroupName);
    const user = await mustGetUser(tx, input.UserName);
    if (user.value.groups.some((g) => nameKey(g) === group.key)) return;
    if (user.value.groups.length >= GROUPS_PER_USER) {
      throw iamError(IamErrorCode.LimitExceeded, `Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
    }
    const groups = [...user.value.groups, group.value.groupName];
    await tx.put(Kind.IamUser, user.key, { ...user.value, groups }, user.version);
  });
  return {};
}

export async function removeUserFromGroup(ctx: IamContext, input: { GroupName: string; UserName: string }) {
  checkName('groupName', input.GroupName, 128);
  checkName('userName', input.UserName, 128);
  await ctx.store.transact(async (tx) => {
    const group = await mustGetGroup(tx, input.GroupName);
    const user = await mustGetUser(tx, input.UserName);
    const groups = user.value.groups.filter((g) => nameKey(g) !== group.key);
    if (groups.length === user.value.groups.length) {
      throw iamError(
        IamErrorCode.NoSuchEntity,
        `The user with name ${input.UserName} cannot be found in group ${input.GroupName}.`,
      );
    }
    await tx.put(Kind.IamUser, user.key, { ...user.value, groups }, user.version);
  });
  return {};
}

export async function listGroupsForUser(ctx: IamContext, input: MarkerInput & { UserName: string }) {
  checkName('userName', input.UserName, 128);
  const user = await mustGetUser(ctx.store, input.UserName);
  const groups: GroupRecord[] = [];
  for (const name of user.value.groups) {
    const g = await ctx.store.get<GroupRecord>(Kind.IamGroup, nameKey(name));
    if (g) groups.push(g.value);
  }
  const { items, ...rest } = page(groups, (g) => nameKey(g.groupName), input);
  return { Groups: items.map(groupOut), ...rest };
}
