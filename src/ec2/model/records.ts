/** The EC2 records Longshore stores (one per VPC, subnet, security group and network interface), and the scope they are made in. */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';

/** What creating EC2 records needs: time, randomness for ids, and the account and region. */
export interface Ec2Scope {
  clock: Clock;
  rng: Rng;
  partition: Partition;
}

/** A tag as the records keep it (EC2 answers `{Key, Value}`). */
export interface Ec2Tag {
  key: string;
  value: string;
}

/** Kind.Vpc, keyed by `vpcId`. */
export interface VpcRecord {
  vpcId: string;
  /** The primary IPv4 range, e.g. `172.31.0.0/16`. */
  cidrBlock: string;
  cidrBlockAssociationId: string;
  isDefault: boolean;
  state: 'available';
  dhcpOptionsId: string;
  instanceTenancy: 'default' | 'dedicated' | 'host';
  ownerId: string;
  tags: Ec2Tag[];
  /** Epoch ms. */
  createdAt: number;
}

/** Kind.Subnet, keyed by `subnetId`. */
export interface SubnetRecord {
  subnetId: string;
  subnetArn: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  state: 'available';
  ownerId: string;
  tags: Ec2Tag[];
  /**
   * Offsets from the range's first address of the addresses network interfaces hold, ascending.
   * Every allocation rewrites the subnet, so two at once conflict instead of sharing an address.
   */
  allocated: number[];
  createdAt: number;
}

/** Where a rule lets traffic come from (ingress) or go to (egress): one peer per rule, as EC2 stores them. */
export type RulePeer =
  | { type: 'cidr4'; cidr: string }
  | { type: 'cidr6'; cidr: string }
  | { type: 'group'; groupId: string; userId: string }
  | { type: 'prefix-list'; prefixListId: string };

/** One security group rule (EC2's SecurityGroupRule, `sgr-...`). */
export interface SecurityGroupRuleRecord {
  ruleId: string;
  /** EC2's form: `-1` (every protocol), `tcp`, `udp`, `icmp`, `icmpv6`, or another protocol number as text. */
  protocol: string;
  /** tcp/udp: the port range; icmp: type and code (-1 for any); `-1` for protocol `-1`. */
  fromPort: number;
  toPort: number;
  peer: RulePeer;
  description?: string;
  tags?: Ec2Tag[];
}

/** Kind.SecurityGroup, keyed by `groupId`. */
export interface SecurityGroupRecord {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ownerId: string;
  /** The group every VPC is made with (named `default`); it cannot be deleted. */
  isDefault: boolean;
  ingress: SecurityGroupRuleRecord[];
  egress: SecurityGroupRuleRecord[];
  tags: Ec2Tag[];
  createdAt: number;
}

/** An interface's attachment as DescribeNetworkInterfaces shows it. */
export interface NetworkInterfaceAttachmentRecord {
  attachmentId: string;
  status: 'attached';
  instanceOwnerId: string;
  deviceIndex: number;
  networkCardIndex: number;
  deleteOnTermination: boolean;
  attachTime: number;
}

/** Kind.NetworkInterface, keyed by `networkInterfaceId`. */
export interface NetworkInterfaceRecord {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  description: string;
  groupIds: string[];
  interfaceType: 'interface';
  status: 'in-use' | 'available';
  macAddress: string;
  privateIpAddress: string;
  privateDnsName: string;
  /** Made by a service (ECS) on the account's behalf: only that service may delete it. */
  requesterManaged: boolean;
  requesterId?: string;
  /** awsvpc's assignPublicIp: ENABLED (Longshore gives no public address; the flag is kept). */
  assignPublicIp: boolean;
  sourceDestCheck: boolean;
  ownerId: string;
  attachment?: NetworkInterfaceAttachmentRecord;
  tags: Ec2Tag[];
  createdAt: number;
}
