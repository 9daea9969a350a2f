/** Port mapping rules per network mode, and the defaults ECS fills in (protocol tcp, hostPort). */
import type { ContainerDefinition, NetworkMode, PortMapping } from '@aws-sdk/client-ecs';
import { checkEnumValue, reject } from './fail.ts';
import { ordered } from './shape.ts';
import {
  AppProtocols,
  MAX_PORT_RANGES,
  PORT_MAX,
  PORT_MIN,
  PORT_NAME,
  TransportProtocols,
} from './limits.ts';

/** Order ECS responses list port mapping members in (seen in DescribeTaskDefinition output). */
const ORDER: (keyof PortMapping)[] = [
  'name',
  'containerPort',
  'hostPort',
  'protocol',
  'appProtocol',
  'containerPortRange',
];
const RANGE = /^(\d+)-(\d+)$/;

/**
 * Validates one container's port mappings and returns them as DescribeTaskDefinition shows them.
 * ContainerDefinition.portMappings and PortMapping docs:
 * - `none` mode: "you can't specify port mappings".
 * - `host` and `awsvpc`: "the hostPort can either be left blank or set to the same value as the
 *   containerPort"; ECS stores hostPort = containerPort. A hostPort of 0 is not blank: ECS answers
 *   "When networkMode=awsvpc, the host ports and container ports in port mappings must match."
 *   (amazon-ecs-cli#1014, pulumi-awsx#935).
 * - `bridge`: an omitted hostPort is stored as 0, a dynamic port (the API representation in
 *   terraform-provider-aws's equivalence tests).
 * - A missing or out-of-range containerPort is "Invalid 'containerPort' setting for container 'x'."
 *   (aws-cli#7288, aws-cdk#8762). protocol defaults to tcp.
 * - containerPortRange: bridge or awsvpc only, "a-b" with 1 <= a < b <= 65535, at most 100 per
 *   container, no hostPort; "A port can only be included in one port mapping per container."
 */
export function normalizePortMappings(
  c: ContainerDefinition,
  mode: NetworkMode,
  path: string,
): PortMapping[] {
  const mappings = c.portMappings ?? [];
  if (mappings.length > 0 && mode === 'none') {
    throw reject('Port mappings are not supported when networkMode=none.');
  }
  const who = `container '${c.name}'`;
  const used = new Set<string>();
  let ranges = 0;
  const claim = (port: number, protocol: string): void => {
    const key = `${port}/${protocol}`;
    if (used.has(key))
      throw reject(`Invalid port mappings for ${who}. Port ${key} is in more than one port mapping.`);
    used.add(key);
  };
  return mappings.map((pm, i) => {
    const at = `${path}.portMappings.${i + 1}.member`;
    checkEnumValue(`${at}.protocol`, pm.protocol, TransportProtocols);
    checkEnumValue(`${at}.appProtocol`, pm.appProtocol, AppProtocols);
    if (pm.name !== undefined && !PORT_NAME.test(pm.name)) {
      throw reject(
        `Invalid port mapping name '${pm.name}' for ${who}. Up to 64 lowercase letters, numbers, underscores and hyphens are allowed, not starting with a hyphen.`,
      );
    }
    const protocol = pm.protocol ?? 'tcp';
    if (pm.containerPortRange !== undefined) {
      const [from, to] = parseRange(pm, mode, who);
      if (++ranges > MAX_PORT_RANGES)
        throw reject(`Too many port ranges for ${who}. The maximum is ${MAX_PORT_RANGES}.`);
      for (let port = from; port <= to; port++) claim(port, protocol);
      return ordered({ ...pm, protocol }, ORDER);
    }
    const containerPort = pm.containerPort;
    if (containerPort === undefined || !isPort(containerPort))
      throw reject(`Invalid 'containerPort' setting for ${who}.`);
    if (pm.hostPort !== undefined && pm.hostPort !== 0 && !isPort(pm.hostPort)) {
      throw reject(`Invalid 'hostPort' setting for ${who}.`);
    }
    if (
      (mode === 'host' || mode === 'awsvpc') &&
      pm.hostPort !== undefined &&
      pm.hostPort !== containerPort
    ) {
      throw reject(
        `When networkMode=${mode}, the host ports and container ports in port mappings must match.`,
      );
    }
    claim(containerPort, protocol);
    const hostPort = pm.hostPort ?? (mode === 'bridge' ? 0 : containerPort);
    return ordered({ ...pm, containerPort, hostPort, protocol }, ORDER);
  });
}

function parseRange(pm: PortMapping, mode: NetworkMode, who: string): [number, number] {
  const bad = (why: string): Error => reject(`Invalid 'containerPortRange' setting for ${who}. ${why}`);
  if (mode !== 'bridge' && mode !== 'awsvpc')
    throw bad('Port ranges need the bridge or awsvpc network mode.');
  if (pm.containerPort !== undefined || pm.hostPort !== undefined) {
    throw bad('Specify either containerPort or containerPortRange, and no hostPort with a range.');
  }
  const m = RANGE.exec(pm.containerPortRange ?? '');
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (!m || !isPort(from) || !isPort(to) || from >= to) {
    throw bad(`The range must be "first-last" with ${PORT_MIN} <= first < last <= ${PORT_MAX}.`);
  }
  return [from, to];
}

const isPort = (n: number): boolean => Number.isInteger(n) && n >= PORT_MIN && n <= PORT_MAX;

/**
 * Rules across the task's containers. Static host ports are claimed by the whole task: two
 * containers of one task cannot bind the same host port (host and awsvpc tasks share one network
 * namespace; a fixed bridge hostPort is reserved on the instance). Dynamic bridge ports (0) and ranges
 * do not count. Port mapping names are how Service Connect and VPC Lattice refer to a port, so one
 * name names one mapping in the task.
 */
export function checkTaskPorts(containers: readonly ContainerDefinition[]): void {
  const owner = new Map<string, string>();
  const names = new Set<string>();
  for (const c of containers) {
    for (const pm of c.portMappings ?? []) {
      if (pm.name !== undefined) {
        if (names.has(pm.name))
          throw reject(`Port mapping name '${pm.name}' is used more than once in the task definition.`);
        names.add(pm.name);
      }
      if (!pm.hostPort) continue;
      const key = `${pm.hostPort}/${pm.protocol ?? 'tcp'}`;
      const first = owner.get(key);
      if (first !== undefined && first !== c.name) {
        throw reject(`Host port ${key} is mapped by both container '${first}' and container '${c.name}'.`);
      }
      owner.set(key, c.name ?? '');
    }
  }
}
