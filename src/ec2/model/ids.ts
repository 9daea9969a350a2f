/** EC2 resource ids: a prefix and 17 lowercase hex digits (`vpc-0a1b2c3d4e5f60718`), from the injected Rng. */
import type { Rng } from '../../core/clock.ts';

/** The prefixes of the resources Longshore makes. */
export const IdPrefix = {
  Vpc: 'vpc',
  Subnet: 'subnet',
  SecurityGroup: 'sg',
  SecurityGroupRule: 'sgr',
  NetworkInterface: 'eni',
  Attachment: 'eni-attach',
  CidrAssociation: 'vpc-cidr-assoc',
  DhcpOptions: 'dopt',
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

export function newEc2Id(rng: Rng, prefix: IdPrefix): string {
  return `${prefix}-${rng.hex(9).slice(0, 17)}`;
}

/** Whether `id` has the shape of an id with `prefix` (EC2 calls other shapes malformed). */
export function isEc2Id(id: string, prefix: IdPrefix): boolean {
  // Ids made before 2018 have 8 hex digits; AWS still accepts both lengths.
  return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}
