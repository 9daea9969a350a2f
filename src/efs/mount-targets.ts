/**
 * CreateMountTarget, DescribeMountTargets, DeleteMountTarget: one mount target per file system
 * and availability zone, in a subnet of EC2's, holding an address of it through an ENI. On Longshore
 * a mount target is where the file system is reachable from (ECS refuses to mount a file system
 * without one, as the mount helper cannot resolve its name); the data path is the backend's.
 */
import type {
  CreateMountTargetRequest,
  DeleteMountTargetRequest,
  DescribeMountTargetsRequest,
  DescribeMountTargetsResponse,
  MountTargetDescription,
} from '@aws-sdk/client-efs';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { deleteNetworkInterface } from '../ec2/model/index.ts';
import type { SubnetRecord } from '../ec2/model/records.ts';
import { Kind } from '../store/store.ts';
import type { EfsContext } from './efs-service.ts';
import {
  accessPointNotFound,
  badRequest,
  EfsErrorCode,
  efsError,
  fileSystemNotFound,
  mountTargetNotFound,
} from './model/errors.ts';
import { getAccessPoint, getFileSystem, getMountTarget, mountTargetsOf } from './model/lookups.ts';
import { createMountTargetEni } from './model/mount-target-eni.ts';
import { EfsIdPrefix, idOf, type MountTargetRecord, newEfsId } from './model/records.ts';
import { checkAccessPointId, checkFileSystemId, checkMountTargetId, page } from './validate.ts';
import { mountTargetView } from './views.ts';

export async function createMountTarget(
  ctx: EfsContext,
  input: Wire<CreateMountTargetRequest>,
  _request: RequestContext,
): Promise<Wire<MountTargetDescription>> {
  const fsId = idOf(checkFileSystemId(input.FileSystemId));
  const subnetId = input.SubnetId ?? '';
  if (input.IpAddressType && input.IpAddressType !== 'IPV4_ONLY')
    throw badRequest(
      `IpAddressType ${input.IpAddressType} is not supported: Longshore's subnets are IPv4 only.`,
    );
  const record = await ctx.store.transact(async (tx) => {
    const fs = await getFileSystem(tx, fsId);
    if (!fs) throw fileSystemNotFound(fsId);
    const stored = await tx.get<SubnetRecord>(Kind.Subnet, subnetId);
    if (!stored) throw efsError(EfsErrorCode.SubnetNotFound, `The subnet ID '${subnetId}' does not exist`);
    const subnet = stored.value;
    const existing = await mountTargetsOf(tx, fsId);
    if (existing.some((m) => m.availabilityZoneName === subnet.availabilityZone))
      throw efsError(EfsErrorCode.MountTargetConflict, 'mount target already exists in this AZ');
    if (existing.some((m) => m.vpcId !== subnet.vpcId))
      throw efsError(
        EfsErrorCode.MountTargetConflict,
        'All mount targets of a file system must be in the same VPC.',
      );
    if (fs.availabilityZoneName && fs.availabilityZoneName !== subnet.availabilityZone)
      throw efsError(
        EfsErrorCode.AvailabilityZonesMismatch,
        `One Zone file system ${fsId} is in ${fs.availabilityZoneName}; subnet ${subnetId} is in ${subnet.availabilityZone}.`,
      );
    const id = newEfsId(ctx.rng, EfsIdPrefix.MountTarget);
    const eni = await createMountTargetEni(tx, ctx, {
      subnet,
      subnetVersion: stored.version,
      ...(input.IpAddress ? { ipAddress: input.IpAddress } : {}),
      ...(input.SecurityGroups ? { groups: input.SecurityGroups } : {}),
      description: `EFS mount target for ${fsId} (${id})`,
    });
    const m: MountTargetRecord = {
      mountTargetId: id,
      fileSystemId: fsId,
      subnetId,
      vpcId: subnet.vpcId,
      availabilityZoneName: subnet.availabilityZone,
      availabilityZoneId: eni.availabilityZoneId,
      ipAddress: eni.privateIpAddress,
      networkInterfaceId: eni.networkInterfaceId,
      securityGroups: eni.groupIds,
      ownerId: ctx.partition.accountId,
    };
    await tx.put(Kind.EfsMountTarget, id, m, 'absent');
    return m;
  });
  return mountTargetView(record, 'creating');
}

export async function describeMountTargets(
  ctx: EfsContext,
  input: Wire<DescribeMountTargetsRequest>,
  _request: RequestContext,
): Promise<Wire<DescribeMountTargetsResponse>> {
  const given = [input.FileSystemId, input.MountTargetId, input.AccessPointId].filter((v) => v !== undefined);
  if (given.length !== 1) throw badRequest('Must specify exactly one mutually exclusive parameter.');
  let list: MountTargetRecord[];
  if (input.MountTargetId) {
    const id = checkMountTargetId(input.MountTargetId);
    const m = await getMountTarget(ctx.store, id);
    if (!m) throw mountTargetNotFound(id);
    list = [m];
  } else {
    let fsId: string;
    if (input.AccessPointId) {
      const apId = idOf(checkAccessPointId(input.AccessPointId));
      const ap = await getAccessPoint(ctx.store, apId);
      if (!ap) throw accessPointNotFound(apId);
      fsId = ap.fileSystemId;
    } else {
      fsId = idOf(checkFileSystemId(input.FileSystemId));
      if (!(await getFileSystem(ctx.store, fsId))) throw fileSystemNotFound(fsId);
    }
    list = (await mountTargetsOf(ctx.store, fsId)).sort((a, b) =>
      a.mountTargetId < b.mountTargetId ? -1 : 1,
    );
  }
  const { items, next } = page(list, (m) => m.mountTargetId, input.Marker, input.MaxItems, 10);
  return {
    ...(input.Marker ? { Marker: input.Marker } : {}),
    MountTargets: items.map((m) => mountTargetView(m, 'available')),
    ...(next ? { NextMarker: next } : {}),
  };
}

export async function deleteMountTarget(
  ctx: EfsContext,
  input: Wire<DeleteMountTargetRequest>,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const id = checkMountTargetId(input.MountTargetId);
  await ctx.store.transact(async (tx) => {
    const m = await getMountTarget(tx, id);
    if (!m) throw mountTargetNotFound(id);
    await deleteNetworkInterface(tx, m.networkInterfaceId);
    await tx.remove(Kind.EfsMountTarget, id);
  });
  return {};
}
