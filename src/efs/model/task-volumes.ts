/**
 * What the agent needs to mount a task's EFS volumes, resolved by the control plane when it builds
 * the task's assignment (the agent has no store): each file system's path on the hosts and the
 * access point's POSIX user and root directory, or ECS's mount failure text for what cannot be
 * mounted (the agent stops the task with it as a ResourceInitializationError).
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskEfsVolume } from '../../core/agent-protocol.ts';
import type { Reader } from '../../store/store.ts';
import { getAccessPoint, getFileSystem, mountTargetsOf } from './lookups.ts';
import { idOf } from './records.ts';

const EFS_UTILS_FAILED = 'failed to invoke EFS utils commands to set up EFS volumes';

/** Undefined when the task definition has no EFS volume. */
export async function resolveEfsVolumes(
  reader: Reader,
  taskDefinition: TaskDefinition,
  region: string,
): Promise<Record<string, TaskEfsVolume> | undefined> {
  const volumes = (taskDefinition.volumes ?? []).filter((v) => v.efsVolumeConfiguration);
  if (volumes.length === 0) return undefined;
  const out: Record<string, TaskEfsVolume> = {};
  for (const v of volumes) {
    const config = v.efsVolumeConfiguration!;
    out[v.name ?? ''] = await resolveOne(
      reader,
      config.fileSystemId ?? '',
      config.authorizationConfig?.accessPointId,
      region,
    );
  }
  return out;
}

async function resolveOne(
  reader: Reader,
  fileSystemId: string,
  accessPointId: string | undefined,
  region: string,
): Promise<TaskEfsVolume> {
  const fs = await getFileSystem(reader, idOf(fileSystemId));
  // The mount helper resolves `<fs-id>.efs.<region>.amazonaws.com`, a name that exists only for a
  // file system with a mount target: both failures read the same on ECS.
  if (!fs || (await mountTargetsOf(reader, fs.fileSystemId)).length === 0) {
    return {
      fileSystemId,
      error: `${EFS_UTILS_FAILED}: stderr: Failed to resolve "${fileSystemId}.efs.${region}.amazonaws.com" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail. Attempting to lookup mount target ip address using botocore. Failed to import necessary dependency botocore, please install botocore first. : unsuccessful EFS utils command execution; code: 1`,
    };
  }
  const out: TaskEfsVolume = { fileSystemId: fs.fileSystemId, path: fs.path };
  if (!accessPointId) return out;
  const ap = await getAccessPoint(reader, idOf(accessPointId));
  if (!ap || ap.fileSystemId !== fs.fileSystemId) {
    return {
      fileSystemId,
      error: `${EFS_UTILS_FAILED}: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32`,
    };
  }
  out.accessPoint = { accessPointId: ap.accessPointId };
  if (ap.posixUser) {
    out.accessPoint.posixUser = {
      uid: ap.posixUser.Uid,
      gid: ap.posixUser.Gid,
      ...(ap.posixUser.SecondaryGids?.length ? { secondaryGids: ap.posixUser.SecondaryGids } : {}),
    };
  }
  const info = ap.rootDirectory.CreationInfo;
  out.accessPoint.rootDirectory = {
    path: ap.rootDirectory.Path,
    ...(info
      ? { creationInfo: { ownerUid: info.OwnerUid, ownerGid: info.OwnerGid, permissions: info.Permissions } }
      : {}),
  };
  return out;
}
