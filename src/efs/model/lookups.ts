/** Reading EFS records: by id, and every mount target or access point of a file system. */
import { Kind, type Reader } from '../../store/store.ts';
import type { AccessPointRecord, FileSystemRecord, MountTargetRecord } from './records.ts';

export async function getFileSystem(reader: Reader, id: string): Promise<FileSystemRecord | undefined> {
  return (await reader.get<FileSystemRecord>(Kind.EfsFileSystem, id))?.value;
}

export async function getAccessPoint(reader: Reader, id: string): Promise<AccessPointRecord | undefined> {
  return (await reader.get<AccessPointRecord>(Kind.EfsAccessPoint, id))?.value;
}

export async function getMountTarget(reader: Reader, id: string): Promise<MountTargetRecord | undefined> {
  return (await reader.get<MountTargetRecord>(Kind.EfsMountTarget, id))?.value;
}

export async function listFileSystems(reader: Reader): Promise<FileSystemRecord[]> {
  return (await reader.list<FileSystemRecord>(Kind.EfsFileSystem)).map((r) => r.value);
}

export async function mountTargetsOf(reader: Reader, fileSystemId: string): Promise<MountTargetRecord[]> {
  return (await reader.list<MountTargetRecord>(Kind.EfsMountTarget))
    .map((r) => r.value)
    .filter((m) => m.fileSystemId === fileSystemId);
}

export async function accessPointsOf(reader: Reader, fileSystemId?: string): Promise<AccessPointRecord[]> {
  return (await reader.list<AccessPointRecord>(Kind.EfsAccessPoint))
    .map((r) => r.value)
    .filter((a) => fileSystemId === undefined || a.fileSystemId === fileSystemId);
}
