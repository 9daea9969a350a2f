/**
 * EFS volumes on the agent: the file system's directory (where the control plane's
 * FileSystemBackend keeps it, the same path on every host) is bind-mounted into the containers,
 * below `rootDirectory` or the access point's root directory (created with its CreationInfo when
 * missing, as EFS does on first use). An access point with a POSIX user is enforced through an
 * identity-mapping FUSE mount (`access-point-mount.ts`); see docs/volumes.md.
 */
import type { Volume } from '@aws-sdk/client-ecs';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { TaskAssignment, TaskEfsVolume } from '../../core/agent-protocol.ts';
import { mountAccessPoint } from './access-point-mount.ts';
import type { TaskVolume } from './task-state.ts';

/** ECS's text when the EFS mount helper fails: `${EFS_UTILS_FAILED}: stderr: <mount's stderr>`. */
const EFS_UTILS_FAILED = 'failed to invoke EFS utils commands to set up EFS volumes';

/** A mount that failed: the task stops with `ResourceInitializationError: <message>` (provision.ts). */
export class EfsMountError extends Error {
  override name = 'EfsMountError';
}

export interface EfsVolumeOptions {
  taskId: string;
  /** The agent's data directory: access-point mounts go under `efs-mounts/<task id>/`. */
  dataDir: string;
}

export async function provisionEfsVolume(
  assignment: TaskAssignment,
  volume: Volume,
  options: EfsVolumeOptions,
): Promise<TaskVolume> {
  const name = volume.name ?? '';
  const config = volume.efsVolumeConfiguration ?? { fileSystemId: '' };
  const resolved = assignment.efsVolumes?.[name];
  if (!resolved)
    throw new EfsMountError(
      `${EFS_UTILS_FAILED}: the control plane sent no details for EFS volume ${name} (file system ${config.fileSystemId})`,
    );
  if (resolved.error || !resolved.path) throw new EfsMountError(resolved.error ?? `${EFS_UTILS_FAILED}`);
  const ap = resolved.accessPoint;
  // With an access point, ECS requires rootDirectory to be "/" or absent: the access point's path rules.
  const root = ap ? (ap.rootDirectory?.path ?? '/') : (config.rootDirectory ?? '/');
  const dir = below(resolved.path, root);
  await ensureRoot(dir, resolved, root);
  const out: TaskVolume = { name, type: 'efs', fileSystemId: resolved.fileSystemId, hostPath: dir };
  if (ap) out.accessPointId = ap.accessPointId;
  if (ap?.posixUser) {
    out.hostPath = await mountAccessPoint(
      dir,
      ap.posixUser,
      join(options.dataDir, 'efs-mounts', options.taskId, safe(name)),
    );
  }
  return out;
}

/** `root` inside `base`: `..` cannot climb out of the file system (normalized first, as NFS paths are). */
function below(base: string, root: string): string {
  const rel = normalize(`/${root}`).replace(/^\/+/, '');
  const dir = rel ? join(base, rel) : base;
  if (dir !== base && !dir.startsWith(base.endsWith(sep) ? base : base + sep))
    throw new EfsMountError(`${EFS_UTILS_FAILED}: stderr: invalid root directory ${root}`);
  return dir;
}

/**
 * The root directory must exist, unless an access point gives CreationInfo: then the missing
 * directories are made with its owner and permissions (EFS's behaviour on the first mount). Error
 * texts are those a real mount gives: the server refuses an access point whose root is missing, and
 * mount.nfs4 names the missing path of a rootDirectory.
 */
async function ensureRoot(dir: string, resolved: TaskEfsVolume, root: string): Promise<void> {
  if (await isDirectory(dir)) return;
  const info = resolved.accessPoint?.rootDirectory?.creationInfo;
  if (resolved.accessPoint && info) {
    await makeWithCreationInfo(resolved.path ?? '', dir, info);
    return;
  }
  if (resolved.accessPoint)
    throw new EfsMountError(
      `${EFS_UTILS_FAILED}: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32`,
    );
  throw new EfsMountError(
    `${EFS_UTILS_FAILED}: stderr: b'mount.nfs4: mounting ${resolved.fileSystemId}:${root} failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32`,
  );
}

async function makeWithCreationInfo(
  base: string,
  dir: string,
  info: { ownerUid: number; ownerGid: number; permissions: string },
): Promise<void> {
  const mode = Number.parseInt(info.permissions, 8);
  let at = base;
  for (const part of dir.slice(base.length).split(sep).filter(Boolean)) {
    at = join(at, part);
    if (await isDirectory(at)) continue;
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await chown(at, info.ownerUid, info.ownerGid);
    // chmod after mkdir: the process umask would have masked the mode given to mkdir.
    await chmod(at, mode);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}
