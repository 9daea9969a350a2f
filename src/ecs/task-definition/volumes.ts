/** Task volumes (bind mounts, Docker volumes, EFS and friends) and the mount points that use them. */
import type { ContainerDefinition, Volume } from '@aws-sdk/client-ecs';
import { checkEnumValue, reject } from './fail.ts';
import { EfsToggle, NAME_CHARS, NAME_MAX, PORT_MAX, VolumeScopes } from './limits.ts';

const KINDS = [
  'host',
  'dockerVolumeConfiguration',
  'efsVolumeConfiguration',
  'fsxWindowsFileServerVolumeConfiguration',
  's3filesVolumeConfiguration',
] as const;

/**
 * Volume doc: names follow the container-name rule and are how mountPoints refer to a volume, so
 * they are unique; efs, s3files and configured-at-launch volumes must be named; "Each task definition
 * revision may only have one volume configured at launch". `host.sourcePath` may be omitted (Docker
 * picks a path) but not blank: ECS answers "host.sourcePath should not be blank." (amazon-ecs-cli#11).
 */
export function checkVolumes(volumes: readonly Volume[]): void {
  const names = new Set<string>();
  let atLaunch = 0;
  volumes.forEach((v, i) => {
    const at = `volumes.${i + 1}.member`;
    const kinds = KINDS.filter((k) => v[k] !== undefined);
    const mustBeNamed = v.efsVolumeConfiguration || v.s3filesVolumeConfiguration || v.configuredAtLaunch;
    if (v.name === undefined || v.name === '') {
      if (mustBeNamed) throw reject('Volume.name should not be null or empty.');
    } else {
      if (!NAME_CHARS.test(v.name) || v.name.length > NAME_MAX) {
        throw reject(
          `Invalid volume name '${v.name}'. Up to 255 letters, numbers, underscores, and hyphens are allowed.`,
        );
      }
      if (names.has(v.name)) throw reject('Volume names must be unique within a Task Definition.');
      names.add(v.name);
    }
    if (kinds.length > 1 || (kinds.length === 1 && v.configuredAtLaunch)) {
      throw reject(`Invalid setting for volume '${v.name}'. Specify only one kind of volume configuration.`);
    }
    if (v.configuredAtLaunch && ++atLaunch > 1) {
      throw reject('Only one volume in a task definition can be configured at launch.');
    }
    if (v.host?.sourcePath === '') throw reject('host.sourcePath should not be blank.');
    checkDockerVolume(v, at);
    checkEfsVolume(v, at);
  });
}

/** DockerVolumeConfiguration: scope task|shared; "autoprovision ... is only used if the scope is shared". */
function checkDockerVolume(v: Volume, at: string): void {
  const docker = v.dockerVolumeConfiguration;
  if (!docker) return;
  checkEnumValue(`${at}.dockerVolumeConfiguration.scope`, docker.scope, VolumeScopes);
  if (docker.autoprovision && docker.scope !== 'shared') {
    throw reject(
      `Invalid 'autoprovision' setting for volume '${v.name}'. autoprovision can only be used when scope is shared.`,
    );
  }
}

/**
 * EFSVolumeConfiguration and EFSAuthorizationConfig: transit encryption "must be turned on if Amazon
 * EFS IAM authorization is used" and "If an access point is used, transit encryption must be on";
 * with an access point, rootDirectory "must either be omitted or set to /".
 */
function checkEfsVolume(v: Volume, at: string): void {
  const efs = v.efsVolumeConfiguration;
  if (!efs) return;
  checkEnumValue(`${at}.efsVolumeConfiguration.transitEncryption`, efs.transitEncryption, EfsToggle);
  checkEnumValue(
    `${at}.efsVolumeConfiguration.authorizationConfig.iam`,
    efs.authorizationConfig?.iam,
    EfsToggle,
  );
  const port = efs.transitEncryptionPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > PORT_MAX)) {
    throw reject(`Invalid 'transitEncryptionPort' setting for volume '${v.name}'.`);
  }
  const auth = efs.authorizationConfig;
  const needsTls = auth?.iam === 'ENABLED' || auth?.accessPointId !== undefined;
  if (needsTls && efs.transitEncryption !== 'ENABLED') {
    throw reject(
      `Invalid setting for volume '${v.name}'. Transit encryption must be enabled when IAM authorization or an access point is used.`,
    );
  }
  if (auth?.accessPointId !== undefined && efs.rootDirectory !== undefined && efs.rootDirectory !== '/') {
    throw reject(
      `Invalid setting for volume '${v.name}'. The root directory must be omitted or / when an access point is used.`,
    );
  }
}

/**
 * MountPoint.sourceVolume "Must be a volume name referenced in the name parameter of task definition
 * volume": ECS answers "Unknown volume 'x'." — and "Unknown volume 'null'." when it is missing
 * (ansible#35751, terraform-aws-airship-ecs-service#46). A container path is mounted at most once.
 */
export function checkMountPoints(c: ContainerDefinition, volumes: readonly Volume[]): void {
  const names = new Set(volumes.map((v) => v.name));
  const paths = new Set<string>();
  for (const mp of c.mountPoints ?? []) {
    if (mp.sourceVolume === undefined || !names.has(mp.sourceVolume)) {
      throw reject(`Unknown volume '${mp.sourceVolume ?? 'null'}'.`);
    }
    if (!mp.containerPath)
      throw reject(
        `Invalid 'mountPoints' setting for container '${c.name}'. containerPath should not be blank.`,
      );
    if (paths.has(mp.containerPath)) {
      throw reject(
        `Invalid 'mountPoints' setting for container '${c.name}'. '${mp.containerPath}' is mounted more than once.`,
      );
    }
    paths.add(mp.containerPath);
  }
}
