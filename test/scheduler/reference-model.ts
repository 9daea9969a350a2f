/**
 * An independent, deliberately naive model of "can this instance take one more task", written
 * straight from ECS's rules, for property tests to hold the scheduler against.
 */
import {
  compileQuery,
  DEFAULT_DYNAMIC_PORT_RANGE,
  type InstanceSnapshot,
  MAX_RESERVED_PORTS,
  type PlacementRequest,
} from '../../src/scheduler/index.ts';

const active = (i: InstanceSnapshot) => i.tasks.filter((t) => t.lastStatus !== 'STOPPED');

export function remaining(i: InstanceSnapshot): { cpu: number; memory: number; gpu: number } {
  const tasks = active(i);
  const sum = (f: (t: (typeof tasks)[number]) => number) => tasks.reduce((s, t) => s + f(t), 0);
  return {
    cpu: i.registered.cpu - sum((t) => t.cpu),
    memory: i.registered.memory - sum((t) => t.memory),
    gpu: i.registered.gpuIds.length - sum((t) => t.gpu),
  };
}

export function groupCount(i: InstanceSnapshot, group: string): number {
  return active(i).filter((t) => t.group === group).length;
}

function portsFit(i: InstanceSnapshot, r: PlacementRequest['resources'], protocol: 'tcp' | 'udp'): boolean {
  const range = i.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
  const held = new Set(protocol === 'tcp' ? i.registered.tcpPorts : i.registered.udpPorts);
  let pending = 0;
  for (const t of active(i)) {
    for (const p of protocol === 'tcp' ? t.tcpPorts : t.udpPorts) held.add(p);
    pending += (protocol === 'tcp' ? t.pendingDynamicTcpPorts : t.pendingDynamicUdpPorts) ?? 0;
  }
  const wanted = protocol === 'tcp' ? r.tcpPorts : r.udpPorts;
  const dynamic = protocol === 'tcp' ? r.dynamicTcpPorts : r.dynamicUdpPorts;
  if (wanted.some((p) => held.has(p))) return false;
  const inRange = [...held].filter((p) => p >= range.first && p <= range.last).length;
  if (wanted.length > 0 && held.size - inRange + wanted.length > MAX_RESERVED_PORTS) return false;
  return dynamic === 0 || range.last - range.first + 1 - inRange - pending >= dynamic;
}

/** Every rule: status, agent, launch type, attributes, resources, ports, memberOf, distinctInstance. */
export function fits(i: InstanceSnapshot, req: PlacementRequest): boolean {
  const r = req.resources;
  const left = remaining(i);
  const external = Object.hasOwn(i.attributes, 'ecs.capability.external');
  const constraints = [...(req.taskDefinitionConstraints ?? []), ...(req.placementConstraints ?? [])];
  return (
    i.status === 'ACTIVE' &&
    i.agentConnected &&
    external === (req.launchType === 'EXTERNAL') &&
    (req.requiresAttributes ?? []).every(
      (a) => Object.hasOwn(i.attributes, a.name!) && (a.value == null || i.attributes[a.name!] === a.value),
    ) &&
    (r.cpu === 0 || left.cpu >= r.cpu) &&
    (r.memory === 0 || left.memory >= r.memory) &&
    (r.gpu === 0 || left.gpu >= r.gpu) &&
    portsFit(i, r, 'tcp') &&
    portsFit(i, r, 'udp') &&
    constraints.every((c) =>
      c.type === 'distinctInstance' ? groupCount(i, req.group) === 0 : compileQuery(c.expression!).matches(i),
    )
  );
}
