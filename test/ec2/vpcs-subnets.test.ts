/** VPCs, subnets and availability zones through @aws-sdk/client-ec2: the default VPC, shapes, rules, filters, paging, errors. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
} from '@aws-sdk/client-ec2';
import { awsError } from '../support/control-plane.ts';
import { type Ec2Plane, startEc2Plane } from './ec2-plane.ts';

const ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{17}$`);

describe('EC2 VPCs, subnets and zones', () => {
  let p: Ec2Plane;
  before(async () => {
    p = await startEc2Plane();
  });
  after(() => p.stop());

  it('every region starts with a default VPC, a default subnet per zone and a default group', async () => {
    const { Vpcs } = await p.ec2.send(new DescribeVpcsCommand({}));
    assert.equal(Vpcs?.length, 1);
    const vpc = Vpcs![0];
    assert.match(vpc.VpcId!, ID('vpc'));
    assert.match(vpc.DhcpOptionsId!, ID('dopt'));
    assert.deepEqual(
      { ...vpc, VpcId: undefined, DhcpOptionsId: undefined, CidrBlockAssociationSet: undefined },
      {
        OwnerId: '000000000000',
        InstanceTenancy: 'default',
        IsDefault: true,
        BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
        State: 'available',
        CidrBlock: '172.31.0.0/16',
        VpcId: undefined,
        DhcpOptionsId: undefined,
        CidrBlockAssociationSet: undefined,
      },
    );
    assert.equal(vpc.CidrBlockAssociationSet?.[0].CidrBlockState?.State, 'associated');
    const { Subnets } = await p.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
    );
    const sorted = [...(Subnets ?? [])].sort((a, b) =>
      a.AvailabilityZone!.localeCompare(b.AvailabilityZone!),
    );
    assert.deepEqual(
      sorted.map((s) => [s.AvailabilityZone, s.AvailabilityZoneId, s.CidrBlock, s.AvailableIpAddressCount]),
      [
        ['us-east-1a', 'use1-az1', '172.31.0.0/20', 4091],
        ['us-east-1b', 'use1-az2', '172.31.16.0/20', 4091],
        ['us-east-1c', 'use1-az3', '172.31.32.0/20', 4091],
        ['us-east-1d', 'use1-az4', '172.31.48.0/20', 4091],
        ['us-east-1e', 'use1-az5', '172.31.64.0/20', 4091],
        ['us-east-1f', 'use1-az6', '172.31.80.0/20', 4091],
      ],
    );
    for (const s of sorted) {
      assert.match(s.SubnetId!, ID('subnet'));
      assert.equal(s.SubnetArn, `arn:aws:ec2:us-east-1:000000000000:subnet/${s.SubnetId}`);
      assert.equal(s.VpcId, vpc.VpcId);
      assert.equal(s.DefaultForAz, true);
      assert.equal(s.MapPublicIpOnLaunch, true);
      assert.equal(s.State, 'available');
    }
    const { SecurityGroups } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }),
    );
    assert.equal(SecurityGroups?.length, 1);
    const group = SecurityGroups![0];
    assert.equal(group.GroupName, 'default');
    assert.equal(group.Description, 'default VPC security group');
    assert.deepEqual(group.IpPermissions, [
      {
        IpProtocol: '-1',
        UserIdGroupPairs: [{ UserId: '000000000000', GroupId: group.GroupId }],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(group.IpPermissionsEgress, [
      {
        IpProtocol: '-1',
        UserIdGroupPairs: [],
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
  });

  it('regions are apart: us-west-2 has its own default VPC with three zones', async () => {
    const west = p.client('us-west-2');
    const [{ Vpcs: east }, { Vpcs: westVpcs }] = await Promise.all([
      p.ec2.send(new DescribeVpcsCommand({})),
      west.send(new DescribeVpcsCommand({})),
    ]);
    assert.equal(westVpcs?.length, 1);
    assert.notEqual(westVpcs![0].VpcId, east![0].VpcId);
    const { AvailabilityZones } = await west.send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(
      AvailabilityZones?.map((z) => `${z.ZoneName} ${z.ZoneId} ${z.State} ${z.RegionName}`),
      [
        'us-west-2a usw2-az1 available us-west-2',
        'us-west-2b usw2-az2 available us-west-2',
        'us-west-2c usw2-az3 available us-west-2',
      ],
    );
    const { Subnets } = await west.send(new DescribeSubnetsCommand({}));
    assert.deepEqual(Subnets?.map((s) => s.CidrBlock).sort(), [
      '172.31.0.0/20',
      '172.31.16.0/20',
      '172.31.32.0/20',
    ]);
  });

  it('DescribeAvailabilityZones: six in us-east-1, by name, id and filter; unknown zones refused', async () => {
    const all = await p.ec2.send(new DescribeAvailabilityZonesCommand({}));
    assert.equal(all.AvailabilityZones?.length, 6);
    assert.deepEqual(all.AvailabilityZones?.[0], {
      OptInStatus: 'opt-in-not-required',
      Messages: [],
      RegionName: 'us-east-1',
      ZoneName: 'us-east-1a',
      ZoneId: 'use1-az1',
      GroupName: 'us-east-1',
      NetworkBorderGroup: 'us-east-1',
      ZoneType: 'availability-zone',
      GroupLongName: 'us-east-1',
      State: 'available',
    });
    const some = await p.ec2.send(
      new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1c'], ZoneIds: ['use1-az5'] }),
    );
    assert.deepEqual(
      some.AvailabilityZones?.map((z) => z.ZoneName),
      ['us-east-1c', 'us-east-1e'],
    );
    const filtered = await p.ec2.send(
      new DescribeAvailabilityZonesCommand({
        Filters: [{ Name: 'zone-name', Values: ['us-east-1[ab]', 'us-east-1?'] }],
      }),
    );
    assert.equal(filtered.AvailabilityZones?.length, 6);
    const e = await awsError(() =>
      p.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })),
    );
    assert.deepEqual(
      [e.name, e.message, e.status],
      ['InvalidParameterValue', 'Invalid availability zone: [us-east-1z]', 400],
    );
  });

  it('CreateVpc, DescribeVpcs by id and filter, DeleteVpc (with its default group)', async () => {
    const { Vpc } = await p.ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.1.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'app' }] }],
      }),
    );
    assert.match(Vpc!.VpcId!, ID('vpc'));
    assert.equal(Vpc!.IsDefault, false);
    assert.equal(Vpc!.State, 'available');
    assert.deepEqual(Vpc!.Tags, [{ Key: 'Name', Value: 'app' }]);
    const byId = await p.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    assert.deepEqual(byId.Vpcs, [Vpc]);
    for (const filter of [
      { Name: 'cidr', Values: ['10.1.0.0/16'] },
      { Name: 'tag:Name', Values: ['ap*'] },
      { Name: 'tag-key', Values: ['Name'] },
      { Name: 'is-default', Values: ['false'] },
    ]) {
      const { Vpcs } = await p.ec2.send(new DescribeVpcsCommand({ Filters: [filter] }));
      assert.deepEqual(
        Vpcs?.map((v) => v.VpcId),
        [Vpc!.VpcId],
        filter.Name,
      );
    }
    const { SecurityGroups } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }),
    );
    assert.deepEqual(
      SecurityGroups?.map((g) => g.GroupName),
      ['default'],
    );
    await p.ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    const gone = await awsError(() => p.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] })));
    assert.deepEqual(
      [gone.name, gone.message],
      ['InvalidVpcID.NotFound', `The vpc ID '${Vpc!.VpcId}' does not exist`],
    );
    const { SecurityGroups: left } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }),
    );
    assert.deepEqual(left, []);
  });

  it('CreateVpc refuses ranges outside /16../28 and text that is no range', async () => {
    for (const [cidr, code, message] of [
      ['10.0.0.0/8', 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid."],
      ['10.0.0.0/29', 'InvalidVpc.Range', "The CIDR '10.0.0.0/29' is invalid."],
      ['10.0.0.1/16', 'InvalidVpc.Range', "The CIDR '10.0.0.1/16' is invalid."],
      [
        'banana',
        'InvalidParameterValue',
        'Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
      ],
    ]) {
      const e = await awsError(() => p.ec2.send(new CreateVpcCommand({ CidrBlock: cidr })));
      assert.deepEqual([e.name, e.message, e.status], [code, message, 400], cidr);
    }
    const e = await awsError(() => p.ec2.send(new CreateVpcCommand({})));
    assert.deepEqual(
      [e.name, e.message],
      ['MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."],
    );
  });

  it('CreateSubnet: inside the VPC, no overlap, zone by name or id, counts reserved addresses', async () => {
    const { Vpc } = await p.ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }));
    const vpcId = Vpc!.VpcId!;
    const { Subnet } = await p.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.1.0/24', AvailabilityZone: 'us-east-1b' }),
    );
    assert.match(Subnet!.SubnetId!, ID('subnet'));
    assert.equal(Subnet!.AvailableIpAddressCount, 251);
    assert.equal(Subnet!.AvailabilityZoneId, 'use1-az2');
    assert.equal(Subnet!.DefaultForAz, false);
    assert.equal(Subnet!.MapPublicIpOnLaunch, false);
    const byZoneId = await p.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.2.0/28', AvailabilityZoneId: 'use1-az6' }),
    );
    assert.equal(byZoneId.Subnet?.AvailabilityZone, 'us-east-1f');
    assert.equal(byZoneId.Subnet?.AvailableIpAddressCount, 11);
    const anyZone = await p.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.3.0/24' }));
    assert.match(anyZone.Subnet?.AvailabilityZone ?? '', /^us-east-1[a-f]$/);

    const cases: [Record<string, string>, string, string][] = [
      [{ CidrBlock: '10.3.0.0/24' }, 'InvalidSubnet.Range', "The CIDR '10.3.0.0/24' is invalid."],
      [{ CidrBlock: '10.2.0.0/29' }, 'InvalidSubnet.Range', "The CIDR '10.2.0.0/29' is invalid."],
      [
        { CidrBlock: '10.2.1.128/25' },
        'InvalidSubnet.Conflict',
        "The CIDR '10.2.1.128/25' conflicts with another subnet",
      ],
      [
        { CidrBlock: '10.2.0.0/16' },
        'InvalidSubnet.Conflict',
        "The CIDR '10.2.0.0/16' conflicts with another subnet",
      ],
      [
        { CidrBlock: '10.2.9.0/24', AvailabilityZone: 'us-east-1z' },
        'InvalidParameterValue',
        'Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f.',
      ],
    ];
    for (const [extra, code, message] of cases) {
      const e = await awsError(() =>
        p.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '', ...extra })),
      );
      assert.deepEqual([e.name, e.message], [code, message], JSON.stringify(extra));
    }
    const noVpc = await awsError(() =>
      p.ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.0.0/24' })),
    );
    assert.deepEqual(
      [noVpc.name, noVpc.message],
      ['InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist"],
    );
    const bad = await awsError(() =>
      p.ec2.send(new CreateSubnetCommand({ VpcId: 'web', CidrBlock: '10.0.0.0/24' })),
    );
    assert.equal(bad.name, 'InvalidVpcId.Malformed');

    // A VPC with subnets or groups of its own cannot go; a subnet without interfaces can.
    const { GroupId } = await p.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'extra', Description: 'x' }),
    );
    const busy = await awsError(() => p.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
    assert.deepEqual(
      [busy.name, busy.message],
      ['DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`],
    );
    for (const s of [Subnet, byZoneId.Subnet, anyZone.Subnet])
      await p.ec2.send(new DeleteSubnetCommand({ SubnetId: s!.SubnetId }));
    assert.equal(
      (await awsError(() => p.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })))).name,
      'DependencyViolation',
    );
    // By name means the default VPC's group.
    const byName = await awsError(() => p.ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'extra' })));
    assert.match(
      byName.message,
      /^The security group 'extra' does not exist in default VPC 'vpc-[0-9a-f]{17}'$/,
    );
    await p.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await p.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it('DescribeSubnets: filters, ids, paging and its errors', async () => {
    const filtered = await p.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'availability-zone', Values: ['us-east-1a', 'us-east-1b'] },
          { Name: 'cidr-block', Values: ['172.31.16.0/20'] },
        ],
      }),
    );
    assert.deepEqual(
      filtered.Subnets?.map((s) => s.AvailabilityZone),
      ['us-east-1b'],
    );
    const first = await p.ec2.send(new DescribeSubnetsCommand({ MaxResults: 5 }));
    assert.equal(first.Subnets?.length, 5);
    assert.ok(first.NextToken);
    const second = await p.ec2.send(
      new DescribeSubnetsCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    assert.equal(second.Subnets?.length, 1);
    assert.equal(second.NextToken, undefined);
    const ids = [...first.Subnets!, ...second.Subnets!].map((s) => s.SubnetId);
    assert.equal(new Set(ids).size, 6);
    const one = await p.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids[2]!] }));
    assert.deepEqual(
      one.Subnets?.map((s) => s.SubnetId),
      [ids[2]],
    );

    const errors: [() => Promise<unknown>, string, string][] = [
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })),
        'InvalidSubnetID.NotFound',
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ MaxResults: 2 })),
        'InvalidParameterValue',
        'Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ MaxResults: 5000 })),
        'InvalidParameterValue',
        'Value ( 5000 ) for parameter maxResults is invalid. Expecting a value less than or equal to 1000.',
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids[0]!], MaxResults: 5 })),
        'InvalidParameterCombination',
        'The parameter subnetIds cannot be used with the parameter maxResults',
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ NextToken: 'garbage' })),
        'InvalidNextToken',
        "The token 'garbage' is invalid",
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
        'InvalidParameterValue',
        "The filter 'colour' is invalid",
      ],
      [
        () => p.ec2.send(new DescribeSubnetsCommand({ DryRun: true })),
        'DryRunOperation',
        'Request would have succeeded, but DryRun flag is set.',
      ],
      [
        () => p.ec2.send(new DeleteSubnetCommand({ SubnetId: 'subnet-0123456789abcdef0' })),
        'InvalidSubnetID.NotFound',
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
      ],
      [
        () => p.ec2.send(new DeleteSubnetCommand({ SubnetId: 'nope' })),
        'InvalidSubnetID.Malformed',
        'Invalid id: "nope" (expecting "subnet-...")',
      ],
      [
        () => p.ec2.send(new DeleteVpcCommand({ VpcId: 'vpc-0123456789abcdef0' })),
        'InvalidVpcID.NotFound',
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      ],
    ];
    for (const [call, code, message] of errors) {
      const e = await awsError(call);
      assert.deepEqual([e.name, e.message, e.status], [code, message, 400]);
    }
  });

  it('DryRun on a create writes nothing', async () => {
    const e = await awsError(() =>
      p.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', DryRun: true })),
    );
    assert.equal(e.name, 'DryRunOperation');
    const { Vpcs } = await p.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.9.0.0/16'] }] }),
    );
    assert.deepEqual(Vpcs, []);
  });
});
