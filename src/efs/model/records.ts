/** EFS records as stored (one per file system, mount target and access point), their ids and ARNs. */
import type { Partition } from '../../core/arn.ts';
import type { Rng } from '../../core/clock.ts';

export interface EfsTag {
  Key: string;
  Value: string;
}

export interface PosixUserRecord {
  Uid: number;
  Gid: number;
  SecondaryGids?: number[];
}

export interface RootDirectoryRecord {
  Path: string;
  CreationInfo?: { OwnerUid: number; OwnerGid: number; Permissions: string };
}

/** EFS's LifecyclePolicy as sent (one transition per policy). */
export type LifecyclePolicyRecord = import('@aws-sdk/client-efs').LifecyclePolicy;

export interface FileSystemRecord {
  fileSystemId: string;
  creationToken: string;
  ownerId: string;
  /** Epoch ms. */
  creationTime: number;
  /** Recorded, not applied (docs/volumes.md): every file system is as fast as its backend. */
  performanceMode: 'generalPurpose' | 'maxIO';
  throughputMode: 'bursting' | 'provisioned' | 'elastic';
  provisionedThroughputInMibps?: number;
  /** Recorded: the backend's own encryption at rest is the operator's (docs/volumes.md). */
  encrypted: boolean;
  kmsKeyId?: string;
  /** One Zone file systems. */
  availabilityZoneName?: string;
  availabilityZoneId?: string;
  backup: boolean;
  tags: EfsTag[];
  /** Where the FileSystemBackend keeps its data: the same path on every host. */
  path: string;
  policy?: string;
  lifecyclePolicies: LifecyclePolicyRecord[];
}

export interface MountTargetRecord {
  mountTargetId: string;
  fileSystemId: string;
  subnetId: string;
  vpcId: string;
  availabilityZoneName: string;
  availabilityZoneId: string;
  ipAddress: string;
  /** The ENI made for it in EC2 (requester-managed, as EFS's are). */
  networkInterfaceId: string;
  securityGroups: string[];
  ownerId: string;
}

export interface AccessPointRecord {
  accessPointId: string;
  fileSystemId: string;
  clientToken: string;
  posixUser?: PosixUserRecord;
  /** `/` when the request gave none. */
  rootDirectory: RootDirectoryRecord;
  tags: EfsTag[];
  ownerId: string;
}

export const EfsIdPrefix = { FileSystem: 'fs', MountTarget: 'fsmt', AccessPoint: 'fsap' } as const;
export type EfsIdPrefix = (typeof EfsIdPrefix)[keyof typeof EfsIdPrefix];

/** `fs-0123456789abcdef0`: a prefix and 17 hex digits, as EFS makes them. */
export function newEfsId(rng: Rng, prefix: EfsIdPrefix): string {
  return `${prefix}-${rng.hex(9).slice(0, 17)}`;
}

export function fileSystemArn(p: Partition, id: string): string {
  return `arn:aws:elasticfilesystem:${p.region}:${p.accountId}:file-system/${id}`;
}

export function accessPointArn(p: Partition, id: string): string {
  return `arn:aws:elasticfilesystem:${p.region}:${p.accountId}:access-point/${id}`;
}

/** The id in an id-or-ARN member (FileSystemId and AccessPointId accept both). */
export function idOf(idOrArn: string): string {
  return idOrArn.slice(idOrArn.lastIndexOf('/') + 1);
}

/** The `Name` tag, which EFS also shows as the resource's Name. */
export function nameTag(tags: EfsTag[]): string | undefined {
  return tags.find((t) => t.Key === 'Name')?.Value;
}
