/** Docker HostConfig from an ECS container definition: resources, Linux parameters, ports, volumes. Pure. */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type Dockerode from 'dockerode';
import type { SpecInput } from './container-spec.ts';
import { awslogsConfig } from './awslogs-config.ts';
import { networkModeOf } from './task-limits.ts';

const MIB = 1024 * 1024;
/** Docker refuses memory limits under 6 MiB; the real agent raises smaller ones to it. */
const DOCKER_MIN_MEMORY_MIB = 6;
/** CpuShares bounds (the real agent sends 0/absent as 2, since Docker would turn 0 into 1024). */
const MIN_CPU_SHARES = 2;
const MAX_CPU_SHARES = 262_144;
const NANO_CPUS_PER_UNIT = 1_000_000_000 / 1024;

const DEVICE_PERMISSION = { read: 'r', write: 'w', mknod: 'm' } as const;

export function hostConfig(input: SpecInput): Dockerode.HostConfig {
  const def = input.definition;
  const mode = networkModeOf(input.assignment);
  const taskDef = input.assignment.taskDefinition;
  const hc: Dockerode.HostConfig = {
    NetworkMode: networkModeFor(input, mode),
    CpuShares: Math.min(Math.max(def.cpu ?? 0, MIN_CPU_SHARES), MAX_CPU_SHARES),
    LogConfig: {
      Type: def.logConfiguration?.logDriver ?? 'json-file',
      Config:
        def.logConfiguration?.logDriver === 'awslogs' && input.awslogs
          ? awslogsConfig(def, input.assignment.taskArn, input.awslogs)
          : (def.logConfiguration?.options ?? {}),
    },
    RestartPolicy: { Name: 'no' },
    Binds: binds(input),
  };
  resources(input, hc);
  if (mode === 'bridge') hc.PortBindings = portBindings(input);
  if (def.links?.length)
    hc.Links = def.links.map((l) => `${input.dockerNames[l.split(':')[0]]}:${l.split(':')[1] ?? l}`);
  if (def.volumesFrom?.length) {
    hc.VolumesFrom = def.volumesFrom.map(
      (v) => `${input.dockerNames[v.sourceContainer ?? '']}:${v.readOnly ? 'ro' : 'rw'}`,
    );
  }
  linuxParameters(def, hc);
  if (def.ulimits?.length)
    hc.Ulimits = def.ulimits.map((u) => ({ Name: u.name, Soft: u.softLimit, Hard: u.hardLimit }));
  if (def.readonlyRootFilesystem) hc.ReadonlyRootfs = true;
  if (def.privileged) hc.Privileged = true;
  // awsvpc containers join the pause container's namespace: Docker refuses per-container DNS, hosts
  // and links there (validation refuses the task first), so none is set.
  if (def.extraHosts?.length && mode !== 'awsvpc')
    hc.ExtraHosts = def.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`);
  if (def.dnsServers?.length && mode !== 'awsvpc') hc.Dns = def.dnsServers;
  if (def.dnsSearchDomains?.length && mode !== 'awsvpc') hc.DnsSearch = def.dnsSearchDomains;
  if (def.dockerSecurityOptions?.length) hc.SecurityOpt = def.dockerSecurityOptions;
  if (def.systemControls?.length) {
    hc.Sysctls = Object.fromEntries(def.systemControls.map((s) => [s.namespace ?? '', s.value ?? '']));
  }
  if (taskDef.pidMode === 'host') hc.PidMode = 'host';
  if (taskDef.ipcMode === 'host' || taskDef.ipcMode === 'none') hc.IpcMode = taskDef.ipcMode;
  return hc;
}

/** awsvpc: `container:<pause id>` (the task's namespace, made while PROVISIONING); else the mode itself. */
function networkModeFor(input: SpecInput, mode: string): string {
  if (mode !== 'awsvpc') return mode;
  const pause = input.resources.network?.pauseId;
  if (!pause) throw new Error('awsvpc container created before the task network was provisioned');
  return `container:${pause}`;
}

/**
 * Memory and CPU. Task-level limits go to a parent cgroup when the engine made one (then every
 * container is inside the task's budget together); without one, each container is capped at the
 * whole task budget (a looser bound: the containers together may exceed it).
 */
function resources(input: SpecInput, hc: Dockerode.HostConfig): void {
  const def = input.definition;
  if (def.memory) hc.Memory = Math.max(def.memory, DOCKER_MIN_MEMORY_MIB) * MIB;
  if (def.memoryReservation) hc.MemoryReservation = def.memoryReservation * MIB;
  const swap = def.linuxParameters?.maxSwap;
  if (swap !== undefined && hc.Memory) hc.MemorySwap = hc.Memory + swap * MIB;
  if (def.linuxParameters?.swappiness !== undefined) hc.MemorySwappiness = def.linuxParameters.swappiness;
  if (input.resources.cgroupParent) {
    hc.CgroupParent = input.resources.cgroupParent;
    return;
  }
  const { memoryMiB, cpuUnits } = input.limits;
  if (memoryMiB && !hc.Memory) hc.Memory = memoryMiB * MIB;
  if (cpuUnits) hc.NanoCpus = Math.round(cpuUnits * NANO_CPUS_PER_UNIT);
}

function portBindings(input: SpecInput): Record<string, { HostPort: string }[]> {
  const out: Record<string, { HostPort: string }[]> = {};
  for (const p of input.definition.portMappings ?? []) {
    const protocol = p.protocol ?? 'tcp';
    const allocated = input.resources.hostPorts.find(
      (a) =>
        a.container === input.container.name &&
        a.containerPort === p.containerPort &&
        a.protocol === protocol,
    );
    const hostPort = p.hostPort ? p.hostPort : allocated?.hostPort;
    const key = `${p.containerPort}/${protocol}`;
    out[key] = [...(out[key] ?? []), { HostPort: hostPort ? String(hostPort) : '' }];
  }
  return out;
}

function binds(input: SpecInput): string[] {
  const out: string[] = [];
  for (const m of input.definition.mountPoints ?? []) {
    const volume = input.resources.volumes.find((v) => v.name === m.sourceVolume);
    if (!volume) continue;
    const source = volume.type === 'docker' ? volume.dockerName : volume.hostPath;
    out.push(`${source}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  }
  // awsvpc: the task's resolv.conf and hosts (Docker writes none for the pause container), unless
  // the container mounts something there itself.
  const files = input.resources.network?.files;
  if (files && networkModeOf(input.assignment) === 'awsvpc') {
    const taken = new Set(out.map((b) => b.split(':')[1]));
    if (!taken.has('/etc/resolv.conf')) out.push(`${files.resolvConf}:/etc/resolv.conf`);
    if (!taken.has('/etc/hosts')) out.push(`${files.hosts}:/etc/hosts`);
  }
  return out;
}

function linuxParameters(def: ContainerDefinition, hc: Dockerode.HostConfig): void {
  const lp = def.linuxParameters;
  if (!lp) return;
  if (lp.initProcessEnabled) hc.Init = true;
  if (lp.capabilities?.add?.length) hc.CapAdd = lp.capabilities.add;
  if (lp.capabilities?.drop?.length) hc.CapDrop = lp.capabilities.drop;
  if (lp.sharedMemorySize) hc.ShmSize = lp.sharedMemorySize * MIB;
  if (lp.tmpfs?.length) {
    hc.Tmpfs = Object.fromEntries(
      lp.tmpfs.map((t) => [t.containerPath ?? '', [`size=${t.size}m`, ...(t.mountOptions ?? [])].join(',')]),
    );
  }
  if (lp.devices?.length) {
    hc.Devices = lp.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath ?? d.hostPath,
      CgroupPermissions: d.permissions?.length
        ? d.permissions.map((p) => DEVICE_PERMISSION[p]).join('')
        : 'rwm',
    }));
  }
}
