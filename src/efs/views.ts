/** Records as EFS's Describe* operations show them (timestamps in epoch seconds). */
import type {
  AccessPointDescription,
  FileSystemDescription,
  MountTargetDescription,
} from '@aws-sdk/client-efs';
import type { Partition } from '../core/arn.ts';
import { epochSeconds } from '../core/clock.ts';
import type { Wire } from '../core/wire.ts';
import {
  type AccessPointRecord,
  accessPointArn,
  type FileSystemRecord,
  fileSystemArn,
  type MountTargetRecord,
  nameTag,
} from './model/records.ts';

export function fileSystemView(
  partition: Partition,
  fs: FileSystemRecord,
  state: 'creating' | 'available' | 'deleting',
  mountTargets: number,
  size: { bytes: number; at: number },
): Wire<FileSystemDescription> {
  const name = nameTag(fs.tags);
  return {
    OwnerId: fs.ownerId,
    CreationToken: fs.creationToken,
    FileSystemId: fs.fileSystemId,
    FileSystemArn: fileSystemArn(partition, fs.fileSystemId),
    CreationTime: epochSeconds(fs.creationTime),
    LifeCycleState: state,
    ...(name !== undefined ? { Name: name } : {}),
    NumberOfMountTargets: mountTargets,
    SizeInBytes: {
      Value: size.bytes,
      Timestamp: epochSeconds(size.at),
      ValueInIA: 0,
      ValueInStandard: size.bytes,
      ValueInArchive: 0,
    },
    PerformanceMode: fs.performanceMode,
    Encrypted: fs.encrypted,
    ...(fs.kmsKeyId ? { KmsKeyId: fs.kmsKeyId } : {}),
    ThroughputMode: fs.throughputMode,
    ...(fs.provisionedThroughputInMibps !== undefined
      ? { ProvisionedThroughputInMibps: fs.provisionedThroughputInMibps }
      : {}),
    ...(fs.availabilityZoneName
      ? { AvailabilityZoneName: fs.availabilityZoneName, AvailabilityZoneId: fs.availabilityZoneId }
      : {}),
    Tags: fs.tags,
    FileSystemProtection: { ReplicationOverwriteProtection: 'ENABLED' },
  };
}

export function mountTargetView(
  m: MountTargetRecord,
  state: 'creating' | 'available' | 'deleting',
): Wire<MountTargetDescription> {
  return {
    OwnerId: m.ownerId,
    MountTargetId: m.mountTargetId,
    FileSystemId: m.fileSystemId,
    SubnetId: m.subnetId,
    LifeCycleState: state,
    IpAddress: m.ipAddress,
    NetworkInterfaceId: m.networkInterfaceId,
    AvailabilityZoneId: m.availabilityZoneId,
    AvailabilityZoneName: m.availabilityZoneName,
    VpcId: m.vpcId,
  };
}

export function accessPointView(
  partition: Partition,
  a: AccessPointRecord,
  state: 'creating' | 'available' | 'deleting',
): Wire<AccessPointDescription> {
  const name = nameTag(a.tags);
  return {
    ClientToken: a.clientToken,
    ...(name !== undefined ? { Name: name } : {}),
    Tags: a.tags,
    AccessPointId: a.accessPointId,
    AccessPointArn: accessPointArn(partition, a.accessPointId),
    FileSystemId: a.fileSystemId,
    ...(a.posixUser ? { PosixUser: a.posixUser } : {}),
    RootDirectory: a.rootDirectory,
    OwnerId: a.ownerId,
    LifeCycleState: state,
  };
}
