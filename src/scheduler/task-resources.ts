/** What one task reserves on an instance, computed from its task definition the way ECS accounts it. */
import type { ContainerDefinition, TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { parseCpuUnits, parseMemoryMiB } from './units.ts';

export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';

/** Resources a task takes from an instance while it is not STOPPED. */
export interface TaskResources {
  /** CPU units (1024 = one vCPU). */
  readonly cpu: number;
  /** MiB. */
  readonly memory: number;
  readonly gpu: number;
  /** Static host ports, per protocol. */
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
  /** Host ports Docker picks from the instance's dynamic range (bridge mode, hostPort 0 or omitted). */
  readonly dynamicTcpPorts: number;
  readonly dynamicUdpPorts: number;
  readonly networkMode: NetworkMode;
}

/**
 * ECS's accounting:
 * - cpu: the task-level `cpu` when set, else the sum of container `cpu` (missing counts 0).
 * - memory: the task-level `memory` when set, else per container `memoryReservation` when set, else
 *   its `memory` hard limit. Example: containers {memory 512} and {memory 300, memoryReservation 128}
 *   reserve 512 + 128 = 640 MiB.
 * - ports: awsvpc and none use no host ports; host mode binds hostPort (default containerPort);
 *   bridge binds hostPort when > 0, otherwise one dynamic port (a containerPortRange takes one per port).
 * - gpu: the sum of the containers' GPU resourceRequirements.
 * Overrides (RunTask's `overrides`) replace task-level cpu/memory and per-container values by name.
 */
export function taskResources(taskDefinition: TaskDefinition, overrides?: TaskOverride): TaskResources {
  const networkMode = (taskDefinition.networkMode ?? 'bridge') as NetworkMode;
  const containers = (taskDefinition.containerDefinitions ?? []).map((c) => withOverride(c, overrides));
  const taskCpu = parseCpuUnits(overrides?.cpu ?? taskDefinition.cpu);
  const taskMemory = parseMemoryMiB(overrides?.memory ?? taskDefinition.memory);
  let cpu = 0;
  let memory = 0;
  let gpu = 0;
  const tcp = new Set<number>();
  const udp = new Set<number>();
  const dynamic = { tcp: 0, udp: 0 };
  for (const c of containers) {
    cpu += c.cpu ?? 0;
    memory += c.memoryReservation ?? c.memory ?? 0;
    for (const r of c.resourceRequirements ?? []) if (r.type === 'GPU') gpu += Number(r.value) || 0;
    if (networkMode === 'awsvpc' || networkMode === 'none') continue;
    for (const mapping of c.portMappings ?? []) {
      const protocol = mapping.protocol === 'udp' ? 'udp' : 'tcp';
      const range = portRangeSize(mapping.containerPortRange);
      if (networkMode === 'bridge' && range > 0) dynamic[protocol] += range;
      else if (networkMode === 'bridge' && !mapping.hostPort) dynamic[protocol] += 1;
      else {
        const port = mapping.hostPort || mapping.containerPort;
        if (port) (protocol === 'udp' ? udp : tcp).add(port);
      }
    }
  }
  return {
    cpu: taskCpu ?? cpu,
    memory: taskMemory ?? memory,
    gpu,
    tcpPorts: [...tcp].sort((a, b) => a - b),
    udpPorts: [...udp].sort((a, b) => a - b),
    dynamicTcpPorts: dynamic.tcp,
    dynamicUdpPorts: dynamic.udp,
    networkMode,
  };
}

/** A container definition with RunTask's containerOverrides for the same name applied. */
function withOverride(
  container: ContainerDefinition,
  overrides: TaskOverride | undefined,
): ContainerDefinition {
  const o = overrides?.containerOverrides?.find((x) => x.name === container.name);
  if (!o) return container;
  return {
    ...container,
    cpu: o.cpu ?? container.cpu,
    memory: o.memory ?? container.memory,
    memoryReservation: o.memoryReservation ?? container.memoryReservation,
    resourceRequirements: o.resourceRequirements ?? container.resourceRequirements,
  };
}

/** `"8000-8010"` has 11 ports; missing or malformed ranges count 0. */
function portRangeSize(range: string | undefined): number {
  const m = range ? /^(\d+)-(\d+)$/.exec(range.trim()) : null;
  if (!m) return 0;
  return Math.max(0, Number(m[2]) - Number(m[1]) + 1);
}
