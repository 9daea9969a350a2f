/** Permissions boundaries: Put/Delete{User,Role}PermissionsBoundary (a managed policy that caps what identity policies grant). */
import type { Reader } from '../store/store.ts';
import { Kind } from '../store/store.ts';
import { checkName } from './common.ts';
import { mustGetAttachable, mustGetRole, mustGetUser } from './entities.ts';
import type { IamContext } from './model/records.ts';

/** The boundary must be an existing managed policy (AWS or this account's). */
export async function checkBoundaryArn(reader: Reader, arn: string): Promise<void> {
  await mustGetAttachable(reader, arn);
}

export async function putUserPermissionsBoundary(
  ctx: IamContext,
  input: { UserName: string; PermissionsBoundary: string },
) {
  checkName('userName', input.UserName, 128);
  await ctx.store.transact(async (tx) => {
    const user = await mustGetUser(tx, input.UserName);
    await checkBoundaryArn(tx, input.PermissionsBoundary);
    await tx.put(
      Kind.IamUser,
      user.key,
      { ...user.value, permissionsBoundary: input.PermissionsBoundary },
      user.version,
    );
  });
  return {};
}

export async function deleteUserPermissionsBoundary(ctx: IamContext, input: { UserName: string }) {
  checkName('userName', input.UserName, 128);
  await ctx.store.transact(async (tx) => {
    const user = await mustGetUser(tx, input.UserName);
    const { permissionsBoundary: _gone, ...rest } = user.value;
    await tx.put(Kind.IamUser, user.key, rest, user.version);
  });
  return {};
}

export async function putRolePermissionsBoundary(
  ctx: IamContext,
  input: { RoleName: string; PermissionsBoundary: string },
) {
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const role = await mustGetRole(tx, input.RoleName);
    await checkBoundaryArn(tx, input.PermissionsBoundary);
    await tx.put(
      Kind.IamRole,
      role.key,
      { ...role.value, permissionsBoundary: input.PermissionsBoundary },
      role.version,
    );
  });
  return {};
}

export async function deleteRolePermissionsBoundary(ctx: IamContext, input: { RoleName: string }) {
  checkName('roleName', input.RoleName, 64);
  await ctx.store.transact(async (tx) => {
    const role = await mustGetRole(tx, input.RoleName);
    const { permissionsBoundary: _gone, ...rest } = role.value;
    await tx.put(Kind.IamRole, role.key, rest, role.version);
  });
  return {};
}
