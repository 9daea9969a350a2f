import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressAt,
  contains,
  formatCidr,
  lowestFreeOffset,
  offsetOf,
  overlaps,
  parseCidr,
  parseIpv4,
  sizeOf,
  usableCount,
  withOffset,
} from '../../src/ec2/model/cidr.ts';
import { availabilityZones, regionCode } from '../../src/ec2/model/zones.ts';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, text);
  return parsed;
};

describe('CIDR arithmetic', () => {
  it('reads and writes addresses and ranges', () => {
    assert.equal(parseIpv4('10.0.1.7'), 0x0a000107);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    for (const bad of ['10.0.1', '10.0.1.256', '01.0.0.0', 'a.b.c.d', '', '1.2.3.4.5']) {
      assert.equal(parseIpv4(bad), undefined, bad);
    }
    assert.deepEqual(parseCidr('172.31.16.0/20'), { base: parseIpv4('172.31.16.0'), prefix: 20 });
    assert.equal(formatCidr(cidr('0.0.0.0/0')), '0.0.0.0/0');
    assert.equal(parseCidr('10.0.0.1/16'), undefined, 'strict ranges start at their first address');
    assert.equal(formatCidr(parseCidr('10.0.0.1/16', false)!), '10.0.0.0/16');
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/a', '10.0.0.0/16/1']) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });

  it('sizes, containment and overlap', () => {
    assert.equal(sizeOf(cidr('172.31.16.0/20')), 4096);
    assert.equal(usableCount(cidr('172.31.16.0/20')), 4091);
    assert.equal(usableCount(cidr('10.0.0.0/28')), 11);
    assert.ok(contains(cidr('172.31.0.0/16'), cidr('172.31.16.0/20')));
    assert.ok(!contains(cidr('172.31.16.0/20'), cidr('172.31.0.0/16')));
    assert.ok(!contains(cidr('172.31.0.0/16'), cidr('172.32.0.0/20')));
    assert.ok(overlaps(cidr('10.0.0.0/16'), cidr('10.0.5.0/24')));
    assert.ok(!overlaps(cidr('10.0.0.0/24'), cidr('10.0.1.0/24')));
  });

  it('addresses by offset', () => {
    assert.equal(addressAt(cidr('172.31.16.0/20'), 5), '172.31.16.5');
    assert.equal(addressAt(cidr('172.31.16.0/20'), 256), '172.31.17.0');
    assert.equal(offsetOf(cidr('172.31.16.0/20'), '172.31.17.1'), 257);
    assert.equal(offsetOf(cidr('172.31.16.0/20'), '172.31.32.1'), undefined);
  });

  it('allocates the lowest free address, never a reserved one', () => {
    const range = cidr('10.0.0.0/28'); // offsets 4..14 usable
    assert.equal(lowestFreeOffset(range, []), 4);
    assert.equal(lowestFreeOffset(range, [4, 5, 7]), 6);
    assert.equal(lowestFreeOffset(range, [4, 5, 6]), 7);
    const full = Array.from({ length: 11 }, (_, i) => i + 4);
    assert.equal(lowestFreeOffset(range, full), undefined);
    assert.equal(lowestFreeOffset(range, full.slice(1)), 4);
    assert.deepEqual(withOffset([4, 7], 5), [4, 5, 7]);
    assert.deepEqual(withOffset([4, 5], 5), [4, 5]);
  });
});

describe('availability zones', () => {
  it('us-east-1 has six, other regions three, with zone ids from the region code', () => {
    const east = availabilityZones('us-east-1');
    assert.deepEqual(
      east.map((z) => z.zoneName),
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
    );
    assert.equal(east[5].zoneId, 'use1-az6');
    assert.deepEqual(
      availabilityZones('us-west-2').map((z) => `${z.zoneName}=${z.zoneId}`),
      ['us-west-2a=usw2-az1', 'us-west-2b=usw2-az2', 'us-west-2c=usw2-az3'],
    );
    assert.equal(regionCode('ap-southeast-2'), 'apse2');
    assert.equal(regionCode('eu-central-1'), 'euc1');
    assert.equal(regionCode('ap-northeast-1'), 'apne1');
    assert.equal(regionCode('us-gov-west-1'), 'usgw1');
    assert.equal(regionCode('sa-east-1'), 'sae1');
  });
});
