/**
 * What each SIMULATED container instance looks like: its CPU, memory, availability zone, instance
 * type and custom attributes. The default spreads instances round-robin over three AZs and cycles
 * through four EC2-like instance types, so placement strategies have something to work with.
 */
import type { Attribute } from '@aws-sdk/client-ecs';

export interface SimInstanceShape {
  cpu: number;
  memory: number;
  availabilityZone: string;
  instanceType: string;
  /** Custom attributes, e.g. `{ name: 'stack', value: 'prod' }`. */
  attributes: Attribute[];
}

/** [type, CPU units, MiB registered (the instance's memory minus the agent's reservation)]. */
export const SIM_INSTANCE_TYPES: readonly (readonly [string, number, number])[] = [
  ['t3.large', 2048, 7680],
  ['m5.xlarge', 4096, 15_616],
  ['c5.2xlarge', 8192, 15_360],
  ['r5.xlarge', 4096, 31_488],
];

/** Instance `index` of a default simulated cluster in `region`: AZ a, b, c, a, ...; types cycle every 3 x 4. */
export function defaultSimInstance(index: number, region: string): SimInstanceShape {
  const azs = ['a', 'b', 'c'];
  // Types change every 3 instances, so every AZ gets every type.
  const [instanceType, cpu, memory] = SIM_INSTANCE_TYPES[Math.floor(index / 3) % SIM_INSTANCE_TYPES.length];
  return {
    cpu,
    memory,
    availabilityZone: `${region}${azs[index % azs.length]}`,
    instanceType,
    attributes: [],
  };
}

/** ECS reserves these host ports on every instance: SSH, Docker, the agent's introspection ports. */
export const SIM_RESERVED_PORTS = [22, 2375, 2376, 51678, 51679];

/** The `ecs.*` attributes a Linux agent registers, plus the shape's own. */
export function simInstanceAttributes(shape: SimInstanceShape): Attribute[] {
  return [
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: 'x86_64' },
    { name: 'ecs.availability-zone', value: shape.availabilityZone },
    { name: 'ecs.instance-type', value: shape.instanceType },
    { name: 'ecs.ami-id', value: 'ami-longshore-simulated' },
    ...shape.attributes,
  ];
}
