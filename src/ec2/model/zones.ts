/**
 * Availability zones per region: us-east-1 has six (a..f, zone ids use1-az1..use1-az6); every
 * other region has three (a, b, c). Zone ids are the region's short code (`usw2`, `euc1`, `apse2`)
 * and `-az<n>`: the first part of the name whole, each direction abbreviated, then the number.
 */

export interface AvailabilityZone {
  zoneName: string;
  zoneId: string;
  regionName: string;
}

const ZONE_COUNT: Readonly<Record<string, number>> = { 'us-east-1': 6 };
const DEFAULT_ZONE_COUNT = 3;

/** `us-west-2` -> `usw2`, `ap-southeast-2` -> `apse2`, `eu-central-1` -> `euc1`, `us-gov-west-1` -> `usgw1`. */
const DIRECTION: Readonly<Record<string, string>> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

export function regionCode(region: string): string {
  const parts = region.split('-');
  if (parts.length < 2) return region;
  const [first, ...rest] = parts;
  return first + rest.map((p) => (/^\d+$/.test(p) ? p : (DIRECTION[p] ?? p.charAt(0)))).join('');
}

export function availabilityZones(region: string): AvailabilityZone[] {
  const count = ZONE_COUNT[region] ?? DEFAULT_ZONE_COUNT;
  const code = regionCode(region);
  return Array.from({ length: count }, (_, i) => ({
    zoneName: `${region}${String.fromCharCode(97 + i)}`,
    zoneId: `${code}-az${i + 1}`,
    regionName: region,
  }));
}

export function findZone(region: string, nameOrId: string): AvailabilityZone | undefined {
  return availabilityZones(region).find((z) => z.zoneName === nameOrId || z.zoneId === nameOrId);
}
