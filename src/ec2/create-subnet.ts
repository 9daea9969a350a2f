/** CreateSubnet: a range of a VPC (/16 to /28, inside the VPC's, overlapping none of its subnets) in one zone. */
import type { CreateSubnetRequest, CreateSubnetResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { requireVpc } from './lookups.ts';
import { contains, formatCidr, overlaps, parseCidr } from './model/cidr.ts';
import { Ec2ErrorCode, invalidValue } from './model/errors.ts';
import { createSubnetRecord, listSubnets } from './model/subnets.ts';
import { type AvailabilityZone, availabilityZones, findZone } from './model/zones.ts';
import type { Ec2Context } from './ec2-service.ts';
import { shapeCheckedCidr } from './ranges.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { subnetShape } from './shapes.ts';
import { TaggableType, tagsFromSpecifications } from './tags.ts';

export const SUBNET_PREFIX = { min: 16, max: 28 } as const;

export async function createSubnet(
  ctx: Ec2Context,
  input: CreateSubnetRequest,
  _request: RequestContext,
): Promise<Wire<CreateSubnetResult>> {
  if (input.CidrBlock === undefined) {
    throw new ServiceError(
      Ec2ErrorCode.MissingParameter,
      "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
    );
  }
  const text = input.CidrBlock;
  const cidr = shapeCheckedCidr(text, 'cidrBlock');
  const tags = tagsFromSpecifications(input.TagSpecifications, TaggableType.Subnet);
  const region = ctx.partition.region;
  const zone = chosenZone(ctx, input);
  return inRegion(ctx, async (tx) => {
    const vpc = await requireVpc(tx, input.VpcId!);
    const range = parseCidr(vpc.cidrBlock)!;
    const invalidRange = new ServiceError(Ec2ErrorCode.InvalidSubnetRange, `The CIDR '${text}' is invalid.`);
    if (!parseCidr(text) || cidr.prefix < SUBNET_PREFIX.min || cidr.prefix > SUBNET_PREFIX.max)
      throw invalidRange;
    if (!contains(range, cidr)) throw invalidRange;
    const siblings = (await listSubnets(tx)).filter((s) => s.vpcId === vpc.vpcId);
    if (siblings.some((s) => overlaps(parseCidr(s.cidrBlock)!, cidr))) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidSubnetConflict,
        `The CIDR '${text}' conflicts with another subnet`,
      );
    }
    refuseDryRun(input);
    const subnet = await createSubnetRecord(tx, ctx, {
      vpcId: vpc.vpcId,
      cidrBlock: formatCidr(cidr),
      zone: zone ?? pick(ctx, availabilityZones(region)),
      defaultForAz: false,
      tags,
    });
    return { Subnet: subnetShape(subnet) };
  });
}

/** The zone the request names (by name or id); none named: undefined, and EC2 picks one. */
function chosenZone(ctx: Ec2Context, input: CreateSubnetRequest): AvailabilityZone | undefined {
  const region = ctx.partition.region;
  const names = availabilityZones(region).map((z) => z.zoneName);
  if (input.AvailabilityZone !== undefined) {
    const zone = findZone(region, input.AvailabilityZone);
    if (!zone || zone.zoneName !== input.AvailabilityZone) {
      throw invalidValue(
        `Value (${input.AvailabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${names.join(', ')}.`,
      );
    }
    if (input.AvailabilityZoneId !== undefined && input.AvailabilityZoneId !== zone.zoneId) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidParameterCombination,
        'The parameter availabilityZone cannot be used with the parameter availabilityZoneId',
      );
    }
    return zone;
  }
  if (input.AvailabilityZoneId !== undefined) {
    const zone = findZone(region, input.AvailabilityZoneId);
    if (!zone || zone.zoneId !== input.AvailabilityZoneId) {
      throw invalidValue(
        `Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: ${availabilityZones(
          region,
        )
          .map((z) => z.zoneId)
          .join(', ')}.`,
      );
    }
    return zone;
  }
  return undefined;
}

function pick(ctx: Ec2Context, zones: AvailabilityZone[]): AvailabilityZone {
  return zones[Math.floor(ctx.rng.next() * zones.length)];
}
