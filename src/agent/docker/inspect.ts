/** Maps Docker's container inspect JSON to the engine's ContainerInspect. */
import type Dockerode from 'dockerode';
import type { ContainerInspect } from './runtime.ts';

/** Docker reports "0001-01-01T00:00:00Z" for times that never happened. */
const ZERO_TIME_PREFIX = '0001-01-01';

function realTime(value: string | undefined): string | undefined {
  return value && !value.startsWith(ZERO_TIME_PREFIX) ? value : undefined;
}

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

function ports(map: PortMap | undefined): ContainerInspect['ports'] {
  const out: ContainerInspect['ports'] = [];
  for (const [key, bindings] of Object.entries(map ?? {})) {
    const [port, proto] = key.split('/');
    for (const b of bindings ?? []) {
      out.push({
        containerPort: Number(port),
        protocol: proto === 'udp' ? 'udp' : 'tcp',
        hostIp: b.HostIp || '0.0.0.0',
        hostPort: Number(b.HostPort),
      });
    }
  }
  return out;
}

export function toContainerInspect(info: Dockerode.ContainerInspectInfo): ContainerInspect {
  const state = info.State as Dockerode.ContainerInspectInfo['State'] & { Health?: { Status?: string } };
  const health = state.Health?.Status;
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
    name,
    ipv4Address: n.IPAddress ?? '',
  }));
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config?.Image ?? '',
    imageId: info.Image,
    status: state.Status as ContainerInspect['status'],
    running: state.Running,
    exitCode: state.ExitCode,
    oomKilled: state.OOMKilled,
    error: state.Error || undefined,
    createdAt: info.Created,
    startedAt: realTime(state.StartedAt),
    finishedAt: realTime(state.FinishedAt),
    health: health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : undefined,
    labels: info.Config?.Labels ?? {},
    ports: ports(info.NetworkSettings?.Ports as PortMap | undefined),
    networks,
    networkMode: info.HostConfig?.NetworkMode ?? 'default',
    pid: state.Pid ?? 0,
    tty: info.Config?.Tty ?? false,
  };
}
