/**
 * CreateAccessPoint, DescribeAccessPoints, DeleteAccessPoint. An access point is a POSIX user and
 * a root directory (with the owner and permissions to create it with); the agent enforces both when
 * a task mounts through it (src/agent/engine/efs-volumes.ts). ClientToken makes create idempotent.
 */
import type {
  AccessPointDescription,
  CreateAccessPointRequest,
  DeleteAccessPointRequest,
  DescribeAccessPointsRequest,
  DescribeAccessPointsResponse,
} from '@aws-sdk/client-efs';
import { isDeepStrictEqual } from 'node:util';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { EfsContext } from './efs-service.ts';
import {
  accessPointNotFound,
  badRequest,
  EfsErrorCode,
  efsError,
  fileSystemNotFound,
} from './model/errors.ts';
import { accessPointsOf, getAccessPoint, getFileSystem } from './model/lookups.ts';
import {
  type AccessPointRecord,
  EfsIdPrefix,
  idOf,
  newEfsId,
  type PosixUserRecord,
  type RootDirectoryRecord,
} from './model/records.ts';
import {
  checkAccessPointId,
  checkFileSystemId,
  checkPath,
  checkPermissions,
  checkPosixId,
  checkTags,
  page,
} from './validate.ts';
import { accessPointView } from './views.ts';

/** EFS's quota of access points per file system. */
const MAX_ACCESS_POINTS = 10_000;
const MAX_SECONDARY_GIDS = 16;

export async function createAccessPoint(
  ctx: EfsContext,
  input: Wire<CreateAccessPointRequest>,
  _request: RequestContext,
): Promise<Wire<AccessPointDescription>> {
  const fsId = idOf(checkFileSystemId(input.FileSystemId));
  const token = input.ClientToken ?? '';
  if (token.length < 1 || token.length > 64)
    throw badRequest('ClientToken must be between 1 and 64 characters.');
  const posixUser = input.PosixUser ? posixUserOf(input.PosixUser) : undefined;
  const rootDirectory = rootDirectoryOf(input.RootDirectory);
  const tags = checkTags(input.Tags);
  const record = await ctx.store.transact(async (tx) => {
    if (!(await getFileSystem(tx, fsId))) throw fileSystemNotFound(fsId);
    const siblings = await accessPointsOf(tx, fsId);
    const same = (await accessPointsOf(tx)).find((a) => a.clientToken === token);
    if (same) {
      const wanted = { fileSystemId: fsId, posixUser, rootDirectory, tags };
      const had = {
        fileSystemId: same.fileSystemId,
        posixUser: same.posixUser,
        rootDirectory: same.rootDirectory,
        tags: same.tags,
      };
      if (isDeepStrictEqual(JSON.parse(JSON.stringify(wanted)), JSON.parse(JSON.stringify(had)))) return same;
      throw efsError(
        EfsErrorCode.AccessPointAlreadyExists,
        `Access point already exists with client token '${token}'`,
        {
          AccessPointId: same.accessPointId,
        },
      );
    }
    if (siblings.length >= MAX_ACCESS_POINTS)
      throw efsError(
        EfsErrorCode.AccessPointLimitExceeded,
        `File system ${fsId} has reached its limit of ${MAX_ACCESS_POINTS} access points.`,
      );
    const a: AccessPointRecord = {
      accessPointId: newEfsId(ctx.rng, EfsIdPrefix.AccessPoint),
      fileSystemId: fsId,
      clientToken: token,
      ...(posixUser ? { posixUser } : {}),
      rootDirectory,
      tags,
      ownerId: ctx.partition.accountId,
    };
    await tx.put(Kind.EfsAccessPoint, a.accessPointId, a, 'absent');
    return a;
  });
  return accessPointView(ctx.partition, record, 'creating');
}

function posixUserOf(p: { Uid?: number; Gid?: number; SecondaryGids?: number[] }): PosixUserRecord {
  const gids = (p.SecondaryGids ?? []).map((g, i) =>
    checkPosixId(g, `posixUser.secondaryGids.${i + 1}.member`),
  );
  if (gids.length > MAX_SECONDARY_GIDS)
    throw badRequest(
      `1 validation error detected: Value at 'posixUser.secondaryGids' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SECONDARY_GIDS}`,
    );
  return {
    Uid: checkPosixId(p.Uid, 'posixUser.uid'),
    Gid: checkPosixId(p.Gid, 'posixUser.gid'),
    ...(p.SecondaryGids ? { SecondaryGids: gids } : {}),
  };
}

function rootDirectoryOf(
  r:
    | { Path?: string; CreationInfo?: { OwnerUid?: number; OwnerGid?: number; Permissions?: string } }
    | undefined,
): RootDirectoryRecord {
  const path = r?.Path === undefined ? '/' : checkPath(r.Path, 'rootDirectory.path');
  const info = r?.CreationInfo;
  if (!info) return { Path: path };
  return {
    Path: path,
    CreationInfo: {
      OwnerUid: checkPosixId(info.OwnerUid, 'rootDirectory.creationInfo.ownerUid'),
      OwnerGid: checkPosixId(info.OwnerGid, 'rootDirectory.creationInfo.ownerGid'),
      Permissions: checkPermissions(info.Permissions, 'rootDirectory.creationInfo.permissions'),
    },
  };
}

export async function describeAccessPoints(
  ctx: EfsContext,
  input: Wire<DescribeAccessPointsRequest>,
  _request: RequestContext,
): Promise<Wire<DescribeAccessPointsResponse>> {
  if (input.AccessPointId && input.FileSystemId)
    throw badRequest('Only one of AccessPointId or FileSystemId may be specified.');
  let list: AccessPointRecord[];
  if (input.AccessPointId) {
    const id = idOf(checkAccessPointId(input.AccessPointId));
    const a = await getAccessPoint(ctx.store, id);
    if (!a) throw accessPointNotFound(id);
    list = [a];
  } else {
    const fsId = input.FileSystemId ? idOf(checkFileSystemId(input.FileSystemId)) : undefined;
    if (fsId && !(await getFileSystem(ctx.store, fsId))) throw fileSystemNotFound(fsId);
    list = (await accessPointsOf(ctx.store, fsId)).sort((a, b) =>
      a.accessPointId < b.accessPointId ? -1 : 1,
    );
  }
  const { items, next } = page(list, (a) => a.accessPointId, input.NextToken, input.MaxResults);
  return {
    AccessPoints: items.map((a) => accessPointView(ctx.partition, a, 'available')),
    ...(next ? { NextToken: next } : {}),
  };
}

export async function deleteAccessPoint(
  ctx: EfsContext,
  input: Wire<DeleteAccessPointRequest>,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const id = idOf(checkAccessPointId(input.AccessPointId));
  await ctx.store.transact(async (tx) => {
    if (!(await getAccessPoint(tx, id))) throw accessPointNotFound(id);
    await tx.remove(Kind.EfsAccessPoint, id);
  });
  return {};
}
