/** Folds what Docker says about a container (inspect) into its state, forward only. */
import type { NetworkBinding } from '../../core/agent-protocol.ts';
import type { ContainerInspect } from '../docker/runtime.ts';
import { definitionOf } from './dependencies.ts';
import { StopReason } from './reasons.ts';
import { advanceContainer, setHealth } from './task-mutations.ts';
import type { ContainerState, HealthStatus, TaskState } from './task-state.ts';

function epochMs(value: string | undefined, fallback: number): number {
  const parsed = value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
}

const HEALTH: Record<string, HealthStatus> = {
  healthy: 'HEALTHY',
  unhealthy: 'UNHEALTHY',
  starting: 'UNKNOWN',
};

export function healthFromDocker(value: string | undefined): HealthStatus {
  return (value && HEALTH[value]) || 'UNKNOWN';
}

/** Host network mode publishes container ports as they are; bridge reports Docker's bindings. */
function bindingsOf(task: TaskState, c: ContainerState, info: ContainerInspect): NetworkBinding[] {
  if (info.networkMode === 'host') {
    return (definitionOf(task, c.name).portMappings ?? []).map((p) => ({
      bindIP: '0.0.0.0',
      containerPort: p.containerPort ?? 0,
      hostPort: p.containerPort ?? 0,
      protocol: p.protocol === 'udp' ? 'udp' : 'tcp',
    }));
  }
  return info.ports.map((p) => ({
    bindIP: p.hostIp,
    containerPort: p.containerPort,
    hostPort: p.hostPort,
    protocol: p.protocol,
  }));
}

/**
 * Applies one inspect result (undefined: no such container). Returns whether anything changed.
 * A container that exited is STOPPED with Docker's exit code; an OOM kill gets ECS's reason.
 */
export function applyInspect(
  task: TaskState,
  c: ContainerState,
  info: ContainerInspect | undefined,
  now: number,
): boolean {
  if (!info) {
    if (c.runtimeId === undefined || c.known === 'STOPPED') return false;
    advanceContainer(c, 'STOPPED', now);
    c.reason ??= StopReason.ContainerVanished;
    return true;
  }
  const before = JSON.stringify(c);
  c.runtimeId ??= info.id;
  c.imageId ??= info.imageId;
  c.createdAt ??= epochMs(info.createdAt, now);
  switch (info.status) {
    case 'created':
      advanceContainer(c, 'CREATED', now);
      break;
    case 'running':
    case 'paused':
    case 'restarting':
      advanceContainer(c, 'CREATED', now);
      if (advanceContainer(c, 'RUNNING', now) || c.networkBindings.length === 0) {
        c.networkBindings = bindingsOf(task, c, info);
      }
      c.startedAt ??= epochMs(info.startedAt, now);
      c.ipv4Address ??= info.networks.find((n) => n.ipv4Address)?.ipv4Address;
      setHealth(c, healthFromDocker(info.health), now);
      break;
    default: {
      // exited, dead, removing: the process is gone.
      if (info.startedAt) c.startedAt ??= epochMs(info.startedAt, now);
      if (advanceContainer(c, 'STOPPED', now)) {
        c.finishedAt = epochMs(info.finishedAt, now);
        if (info.startedAt) c.exitCode = info.exitCode;
        if (info.oomKilled || c.oomEvent) c.reason ??= StopReason.OutOfMemory;
        else if (!info.startedAt && info.error) c.reason ??= `CannotStartContainerError: ${info.error}`;
      }
    }
  }
  return JSON.stringify(c) !== before;
}
