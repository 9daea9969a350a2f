/** Task ENIs as EC2 shows them (DescribeNetworkInterfaces, DeleteNetworkInterface, subnet counts) and tags. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  type Subnet,
} from '@aws-sdk/client-ec2';
import { awsError } from '../support/control-plane.ts';
import { type Ec2Plane, startEc2Plane } from './ec2-plane.ts';

describe('EC2 network interfaces and tags', () => {
  let p: Ec2Plane;
  let subnet: Subnet;
  before(async () => {
    p = await startEc2Plane();
    const { Subnets } = await p.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
    );
    subnet = Subnets![0];
  });
  after(() => p.stop());

  it('DescribeNetworkInterfaces shows a task ENI as AWS shows an ECS task ENI; filters find it', async () => {
    const eni = await p.taskEni(subnet.SubnetId!);
    const { SecurityGroups } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }),
    );
    const { NetworkInterfaces } = await p.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.networkInterfaceId] }),
    );
    assert.equal(NetworkInterfaces?.length, 1);
    const shown = NetworkInterfaces![0];
    assert.ok(shown.Attachment?.AttachTime instanceof Date);
    assert.match(shown.Attachment?.AttachmentId ?? '', /^eni-attach-[0-9a-f]{17}$/);
    assert.deepEqual(
      { ...shown, Attachment: { ...shown.Attachment, AttachTime: undefined, AttachmentId: undefined } },
      {
        Attachment: {
          AttachTime: undefined,
          AttachmentId: undefined,
          DeleteOnTermination: false,
          DeviceIndex: 1,
          NetworkCardIndex: 0,
          InstanceOwnerId: 'amazon-aws',
          Status: 'attached',
        },
        AvailabilityZone: 'us-east-1b',
        AvailabilityZoneId: 'use1-az2',
        Description: 'arn:aws:ecs:us-east-1:000000000000:attachment/7d4f3c2a-1b2c-4d5e-8f90-123456789abc',
        Groups: [{ GroupId: SecurityGroups![0].GroupId, GroupName: 'default' }],
        InterfaceType: 'interface',
        Ipv6Addresses: [],
        MacAddress: eni.macAddress,
        NetworkInterfaceId: eni.networkInterfaceId,
        OwnerId: '000000000000',
        PrivateDnsName: 'ip-172-31-16-4.ec2.internal',
        PrivateIpAddress: '172.31.16.4',
        PrivateIpAddresses: [
          { Primary: true, PrivateDnsName: 'ip-172-31-16-4.ec2.internal', PrivateIpAddress: '172.31.16.4' },
        ],
        RequesterId: eni.requesterId,
        RequesterManaged: true,
        SourceDestCheck: true,
        Status: 'in-use',
        SubnetId: subnet.SubnetId,
        TagSet: [],
        VpcId: subnet.VpcId,
      },
    );
    for (const filter of [
      { Name: 'subnet-id', Values: [subnet.SubnetId!] },
      { Name: 'addresses.private-ip-address', Values: ['172.31.16.4'] },
      { Name: 'private-ip-address', Values: ['172.31.16.*'] },
      { Name: 'requester-managed', Values: ['true'] },
      { Name: 'status', Values: ['in-use'] },
      { Name: 'description', Values: ['arn:aws:ecs:*:attachment/*'] },
      { Name: 'group-name', Values: ['default'] },
      { Name: 'vpc-id', Values: [subnet.VpcId!] },
    ]) {
      const r = await p.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [filter] }));
      assert.deepEqual(
        r.NetworkInterfaces?.map((n) => n.NetworkInterfaceId),
        [eni.networkInterfaceId],
        filter.Name,
      );
    }
    const none = await p.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }],
      }),
    );
    assert.deepEqual(none.NetworkInterfaces, []);
    const { Subnets } = await p.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }));
    assert.equal(Subnets![0].AvailableIpAddressCount, 4090);
  });

  it('a task ENI cannot be deleted through EC2, nor its subnet; unknown and malformed ids', async () => {
    const eni = await p.taskEni(subnet.SubnetId!);
    const inUse = await awsError(() =>
      p.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.networkInterfaceId })),
    );
    assert.deepEqual(
      [inUse.name, inUse.message],
      ['InvalidParameterValue', `Network interface '${eni.networkInterfaceId}' is currently in use.`],
    );
    const busy = await awsError(() => p.ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId })));
    assert.deepEqual(
      [busy.name, busy.message],
      ['DependencyViolation', `The subnet '${subnet.SubnetId}' has dependencies and cannot be deleted.`],
    );
    const missing = await awsError(() =>
      p.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: 'eni-0123456789abcdef0' })),
    );
    assert.deepEqual(
      [missing.name, missing.message],
      [
        'InvalidNetworkInterfaceID.NotFound',
        "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
      ],
    );
    const malformed = await awsError(() =>
      p.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: 'x' })),
    );
    assert.deepEqual(
      [malformed.name, malformed.message],
      ['InvalidNetworkInterfaceID.Malformed', 'Invalid id: "x" (expecting "eni-...")'],
    );
    const describeMissing = await awsError(() =>
      p.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })),
    );
    assert.equal(describeMissing.name, 'InvalidNetworkInterfaceID.NotFound');
    const noId = await awsError(() => p.ec2.send(new DeleteNetworkInterfaceCommand({} as never)));
    assert.equal(noId.name, 'MissingParameter');
  });

  it('CreateTags, DescribeTags and DeleteTags across resource types', async () => {
    const { Vpcs } = await p.ec2.send(new DescribeVpcsCommand({}));
    const vpcId = Vpcs![0].VpcId!;
    const eni = await p.taskEni(subnet.SubnetId!);
    await p.ec2.send(
      new CreateTagsCommand({
        Resources: [vpcId, subnet.SubnetId!, eni.networkInterfaceId],
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'owner', Value: '' },
        ],
      }),
    );
    await p.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env', Value: 'staging' }] }));
    const all = await p.ec2.send(new DescribeTagsCommand({}));
    assert.equal(all.Tags?.length, 6);
    const vpcTags = await p.ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['vpc'] }] }),
    );
    assert.deepEqual(vpcTags.Tags, [
      { Key: 'env', ResourceId: vpcId, ResourceType: 'vpc', Value: 'staging' },
      { Key: 'owner', ResourceId: vpcId, ResourceType: 'vpc', Value: '' },
    ]);
    const byKey = await p.ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'key', Values: ['env'] },
          { Name: 'value', Values: ['prod'] },
        ],
      }),
    );
    assert.deepEqual(byKey.Tags?.map((t) => t.ResourceType).sort(), ['network-interface', 'subnet']);
    const page = await p.ec2.send(new DescribeTagsCommand({ MaxResults: 5 }));
    assert.equal(page.Tags?.length, 5);
    const rest = await p.ec2.send(new DescribeTagsCommand({ MaxResults: 5, NextToken: page.NextToken }));
    assert.equal(rest.Tags?.length, 1);
    const tagged = await p.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }),
    );
    assert.deepEqual(
      tagged.Subnets?.map((s) => s.SubnetId),
      [subnet.SubnetId],
    );
    const { NetworkInterfaces } = await p.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag-key', Values: ['owner'] }] }),
    );
    assert.deepEqual(
      NetworkInterfaces?.map((n) => n.TagSet?.length),
      [2],
    );

    await p.ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env', Value: 'prod' }] }));
    assert.equal(
      (await p.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }] })))
        .Tags?.length,
      2,
    );
    await p.ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env' }] }));
    assert.equal(
      (await p.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }] })))
        .Tags?.length,
      1,
    );
    await p.ec2.send(new DeleteTagsCommand({ Resources: [subnet.SubnetId!, eni.networkInterfaceId] }));
    assert.equal((await p.ec2.send(new DescribeTagsCommand({}))).Tags?.length, 1);

    const cases: [() => Promise<unknown>, string, string][] = [
      [
        () =>
          p.ec2.send(
            new CreateTagsCommand({ Resources: ['vpc-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }),
          ),
        'InvalidVpcID.NotFound',
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      ],
      [
        () =>
          p.ec2.send(
            new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }),
          ),
        'InvalidID',
        "The ID 'i-0123456789abcdef0' is not valid",
      ],
      [
        () => p.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'aws:x', Value: 'b' }] })),
        'InvalidParameterValue',
        "Tag keys starting with 'aws:' are reserved for internal use",
      ],
      [
        () =>
          p.ec2.send(
            new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true }),
          ),
        'DryRunOperation',
        'Request would have succeeded, but DryRun flag is set.',
      ],
      [
        () => p.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })),
        'InvalidParameterValue',
        "The filter 'colour' is invalid",
      ],
    ];
    for (const [call, code, message] of cases) {
      const e = await awsError(call);
      assert.deepEqual([e.name, e.message], [code, message]);
    }
    assert.equal(
      (await p.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['a'] }] }))).Tags?.length,
      0,
    );
  });
});
