/** LinuxParameters (capabilities, devices, tmpfs, /dev/shm, swap) and ulimits of one container. */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { checkEnumValue, checkRange, containerOwner, reject } from './fail.ts';
import { DeviceCgroupPermissions, SWAPPINESS, UlimitNames } from './limits.ts';

/** KernelCapabilities.add/drop "Valid values". */
const CAPABILITIES: ReadonlySet<string> = new Set(
  'ALL AUDIT_CONTROL AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG SYSLOG WAKE_ALARM'.split(
    ' ',
  ),
);

/** Tmpfs.mountOptions "Valid values". */
const TMPFS_OPTIONS: ReadonlySet<string> = new Set(
  'defaults ro rw suid nosuid dev nodev exec noexec sync async dirsync remount mand nomand atime noatime diratime nodiratime bind rbind unbindable runbindable private rprivate shared rshared slave rslave relatime norelatime strictatime nostrictatime mode uid gid nr_inodes nr_blocks mpol'.split(
    ' ',
  ),
);

/**
 * LinuxParameters doc: capabilities from the documented list; devices need a hostPath and take
 * read/write/mknod permissions; tmpfs needs a containerPath and a size in MiB with documented mount
 * options; sharedMemorySize is MiB; maxSwap is "0 or any positive integer"; swappiness is 0-100.
 * Texts are Longshore's in ECS's "Invalid 'x' setting for container 'y'." style.
 */
export function checkLinuxParameters(c: ContainerDefinition, path: string): void {
  const lp = c.linuxParameters;
  if (!lp) return;
  const owner = containerOwner(c.name ?? '');
  for (const [list, values] of [
    ['add', lp.capabilities?.add],
    ['drop', lp.capabilities?.drop],
  ] as const) {
    const unknown = values?.find((cap) => !CAPABILITIES.has(cap));
    if (unknown !== undefined) {
      throw reject(
        `Invalid 'linuxParameters.capabilities.${list}' setting for ${owner}. Unknown capability '${unknown}'.`,
      );
    }
  }
  lp.devices?.forEach((d, i) => {
    if (!d.hostPath)
      throw reject(`Invalid 'linuxParameters.devices' setting for ${owner}. hostPath should not be blank.`);
    d.permissions?.forEach((p, j) => {
      checkEnumValue(
        `${path}.linuxParameters.devices.${i + 1}.member.permissions.${j + 1}.member`,
        p,
        DeviceCgroupPermissions,
      );
    });
  });
  for (const t of lp.tmpfs ?? []) {
    if (!t.containerPath)
      throw reject(
        `Invalid 'linuxParameters.tmpfs' setting for ${owner}. containerPath should not be blank.`,
      );
    if (t.size === undefined || !Number.isInteger(t.size) || t.size <= 0) {
      throw reject(
        `Invalid 'linuxParameters.tmpfs' setting for ${owner}. size must be a positive number of MiB.`,
      );
    }
    // Options such as "mode=1777" carry a value after '='; the name is what must be known.
    const unknown = t.mountOptions?.find((o) => !TMPFS_OPTIONS.has(o.split('=')[0]));
    if (unknown !== undefined) {
      throw reject(
        `Invalid 'linuxParameters.tmpfs' setting for ${owner}. Unknown mount option '${unknown}'.`,
      );
    }
  }
  if (lp.sharedMemorySize !== undefined && lp.sharedMemorySize <= 0) {
    throw reject(
      `Invalid 'linuxParameters.sharedMemorySize' setting for ${owner}. The value must be a positive number of MiB.`,
    );
  }
  if (lp.maxSwap !== undefined && lp.maxSwap < 0) {
    throw reject(
      `Invalid 'linuxParameters.maxSwap' setting for ${owner}. Accepted values are 0 or any positive integer.`,
    );
  }
  checkRange(lp.swappiness, SWAPPINESS.min, SWAPPINESS.max, 'linuxParameters.swappiness', owner);
}

/**
 * Ulimit: name from the UlimitName enum, soft and hard limits required. A soft limit above the hard
 * limit is something the kernel (setrlimit) refuses, so the container could never start; each
 * ulimit name is set once.
 */
export function checkUlimits(c: ContainerDefinition, path: string): void {
  const owner = containerOwner(c.name ?? '');
  const seen = new Set<string>();
  c.ulimits?.forEach((u, i) => {
    checkEnumValue(`${path}.ulimits.${i + 1}.member.name`, u.name, UlimitNames);
    if (u.softLimit === undefined || u.hardLimit === undefined) {
      throw reject(`Invalid 'ulimits' setting for ${owner}. softLimit and hardLimit are required.`);
    }
    if (u.softLimit > u.hardLimit) {
      throw reject(
        `Invalid 'ulimits' setting for ${owner}. The softLimit of '${u.name}' is greater than its hardLimit.`,
      );
    }
    if (seen.has(u.name ?? ''))
      throw reject(`Invalid 'ulimits' setting for ${owner}. '${u.name}' is set more than once.`);
    seen.add(u.name ?? '');
  });
}
