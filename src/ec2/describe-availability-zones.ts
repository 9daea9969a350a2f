/** DescribeAvailabilityZones: the region's zones (six in us-east-1, three elsewhere), all available. */
import type {
  AvailabilityZone as Ec2Zone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { invalidValue } from './model/errors.ts';
import { availabilityZones } from './model/zones.ts';
import type { Ec2Context } from './ec2-service.ts';
import { refuseDryRun } from './region.ts';

const ZONE_FILTERS: FilterTable<Ec2Zone> = {
  'zone-name': (z) => z.ZoneName,
  'zone-id': (z) => z.ZoneId,
  'region-name': (z) => z.RegionName,
  state: (z) => z.State,
  'zone-type': (z) => z.ZoneType,
  'group-name': (z) => z.GroupName,
  'group-long-name': (z) => z.GroupLongName,
  'network-border-group': (z) => z.NetworkBorderGroup,
  'opt-in-status': (z) => z.OptInStatus,
  message: (z) => (z.Messages ?? []).map((m) => m.Message),
};

export async function describeAvailabilityZones(
  ctx: Ec2Context,
  input: DescribeAvailabilityZonesRequest,
  _request: RequestContext,
): Promise<DescribeAvailabilityZonesResult> {
  refuseDryRun(input);
  const region = ctx.partition.region;
  let zones: Ec2Zone[] = availabilityZones(region).map((z) => ({
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region,
    ZoneName: z.zoneName,
    ZoneId: z.zoneId,
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
    GroupLongName: region,
    State: 'available',
  }));
  const names = input.ZoneNames ?? [];
  const ids = input.ZoneIds ?? [];
  const unknown = [
    ...names.filter((n) => !zones.some((z) => z.ZoneName === n)),
    ...ids.filter((i) => !zones.some((z) => z.ZoneId === i)),
  ];
  if (unknown.length > 0) throw invalidValue(`Invalid availability zone: [${unknown.join(', ')}]`);
  if (names.length > 0 || ids.length > 0) {
    zones = zones.filter((z) => names.includes(z.ZoneName!) || ids.includes(z.ZoneId!));
  }
  return { AvailabilityZones: applyFilters(zones, input.Filters, ZONE_FILTERS) };
}
