/** Security groups through @aws-sdk/client-ec2: create, describe, rules in and out, duplicates, deletion rules. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { taskFirewall } from '../../src/ec2/model/task-firewall.ts';
import { awsError } from '../support/control-plane.ts';
import { type Ec2Plane, startEc2Plane } from './ec2-plane.ts';

describe('EC2 security groups', () => {
  let p: Ec2Plane;
  let vpcId: string;
  let defaultGroupId: string;
  before(async () => {
    p = await startEc2Plane();
    const { Vpcs } = await p.ec2.send(new DescribeVpcsCommand({}));
    vpcId = Vpcs![0].VpcId!;
    const { SecurityGroups } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }),
    );
    defaultGroupId = SecurityGroups![0].GroupId!;
  });
  after(() => p.stop());

  const create = async (name: string, description = `${name} tier`) =>
    (await p.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: description })))
      .GroupId!;

  it('CreateSecurityGroup: in the default VPC, all egress allowed, nothing in; names unique per VPC', async () => {
    const created = await p.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'web',
        Description: 'web tier',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'a' }] }],
      }),
    );
    assert.match(created.GroupId!, /^sg-[0-9a-f]{17}$/);
    assert.equal(
      created.SecurityGroupArn,
      `arn:aws:ec2:us-east-1:000000000000:security-group/${created.GroupId}`,
    );
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'a' }]);
    const { SecurityGroups } = await p.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] }),
    );
    assert.deepEqual(SecurityGroups, [
      {
        GroupId: created.GroupId,
        IpPermissionsEgress: [
          {
            IpProtocol: '-1',
            UserIdGroupPairs: [],
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            Ipv6Ranges: [],
            PrefixListIds: [],
          },
        ],
        Tags: [{ Key: 'team', Value: 'a' }],
        VpcId: vpcId,
        SecurityGroupArn: created.SecurityGroupArn,
        OwnerId: '000000000000',
        GroupName: 'web',
        Description: 'web tier',
        IpPermissions: [],
      },
    ]);
    const dup = await awsError(() =>
      p.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })),
    );
    assert.deepEqual(
      [dup.name, dup.message],
      ['InvalidGroup.Duplicate', `The security group 'web' already exists for VPC '${vpcId}'`],
    );
    const reserved = await awsError(() =>
      p.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'x' })),
    );
    assert.equal(reserved.name, 'InvalidGroup.Reserved');
    const noVpc = await awsError(() =>
      p.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: 'vpc-0123456789abcdef0' }),
      ),
    );
    assert.equal(noVpc.name, 'InvalidVpcID.NotFound');
    const missing = await awsError(() =>
      p.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x' } as never)),
    );
    assert.equal(missing.name, 'MissingParameter');
    assert.equal(missing.status, 400);
  });

  it('AuthorizeSecurityGroupIngress/Egress add rules, group them as IpPermissions and list them as SecurityGroupRules', async () => {
    const api = await create('api');
    const lb = await create('lb');
    const added = await p.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: api,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            UserIdGroupPairs: [{ GroupId: lb, Description: 'from lb' }],
          },
          { IpProtocol: '6', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    assert.equal(added.Return, true);
    assert.equal(added.SecurityGroupRules?.length, 3);
    const [fromLb] = added.SecurityGroupRules!;
    assert.match(fromLb.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
    assert.deepEqual(
      { ...fromLb, SecurityGroupRuleId: undefined },
      {
        SecurityGroupRuleId: undefined,
        GroupId: api,
        GroupOwnerId: '000000000000',
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        ReferencedGroupInfo: { GroupId: lb, UserId: '000000000000' },
        Description: 'from lb',
        Tags: [],
        SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:000000000000:security-group-rule/${fromLb.SecurityGroupRuleId}`,
      },
    );
    // The older top-level form (what `--protocol --port --cidr` sends) works too, by group name.
    await p.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupName: 'api',
        IpProtocol: 'udp',
        FromPort: 53,
        ToPort: 53,
        CidrIp: '192.168.0.0/16',
      }),
    );
    await p.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: api,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
        ],
      }),
    );
    const { SecurityGroups } = await p.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [api] }));
    assert.deepEqual(SecurityGroups![0].IpPermissions, [
      {
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        UserIdGroupPairs: [{ UserId: '000000000000', GroupId: lb, Description: 'from lb' }],
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: 'icmp',
        FromPort: -1,
        ToPort: -1,
        UserIdGroupPairs: [],
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: 'udp',
        FromPort: 53,
        ToPort: 53,
        UserIdGroupPairs: [],
        IpRanges: [{ CidrIp: '192.168.0.0/16' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
    assert.equal(SecurityGroups![0].IpPermissionsEgress?.length, 2);
    const rules = await p.ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [api] }] }),
    );
    assert.equal(rules.SecurityGroupRules?.length, 6);
    assert.equal(rules.SecurityGroupRules?.filter((r) => r.IsEgress).length, 2);
    const one = await p.ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [fromLb.SecurityGroupRuleId!] }),
    );
    assert.deepEqual(one.SecurityGroupRules, [fromLb]);
    const filters = await p.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'ip-permission.group-id', Values: [lb] },
          { Name: 'egress.ip-permission.to-port', Values: ['5432'] },
        ],
      }),
    );
    assert.deepEqual(
      filters.SecurityGroups?.map((g) => g.GroupId),
      [api],
    );
  });

  it('refuses duplicate rules, unknown groups and bad permissions with EC2 errors', async () => {
    const ssh = await create('ssh');
    const rule = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await p.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: ssh, IpPermissions: [rule] }));
    const cases: [unknown, string, string][] = [
      [
        { GroupId: ssh, IpPermissions: [rule] },
        'InvalidPermission.Duplicate',
        'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
      ],
      [
        { GroupId: 'sg-0123456789abcdef0', IpPermissions: [rule] },
        'InvalidGroup.NotFound',
        "The security group 'sg-0123456789abcdef0' does not exist",
      ],
      [
        { GroupId: 'web', IpPermissions: [rule] },
        'InvalidGroupId.Malformed',
        'Invalid id: "web" (expecting "sg-...")',
      ],
      [
        { GroupId: ssh, IpPermissions: [{ ...rule, IpProtocol: 'tcpx' }] },
        'InvalidParameterValue',
        "Invalid value 'tcpx' for IP protocol. Unknown protocol.",
      ],
      [
        { GroupId: ssh, IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        'InvalidParameterValue',
        'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.',
      ],
      [
        { GroupId: ssh, IpPermissions: [{ ...rule, IpRanges: [{ CidrIp: '300.0.0.0/8' }] }] },
        'InvalidParameterValue',
        'CIDR block 300.0.0.0/8 is malformed',
      ],
      [
        {
          GroupId: ssh,
          IpPermissions: [
            { ...rule, IpRanges: undefined, UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }] },
          ],
        },
        'InvalidGroup.NotFound',
        "The security group 'sg-0123456789abcdef0' does not exist",
      ],
      [{ GroupId: ssh }, 'MissingParameter', 'The request must contain the parameter ipPermissions'],
      [
        { IpPermissions: [rule] },
        'MissingParameter',
        'The request must contain the parameter groupName or groupId',
      ],
      [
        { GroupId: ssh, IpPermissions: [{ ...rule, FromPort: 23, ToPort: 23 }], DryRun: true },
        'DryRunOperation',
        'Request would have succeeded, but DryRun flag is set.',
      ],
    ];
    for (const [input, code, message] of cases) {
      const e = await awsError(() => p.ec2.send(new AuthorizeSecurityGroupIngressCommand(input as never)));
      assert.deepEqual([e.name, e.message, e.status], [code, message, 400], JSON.stringify(input));
    }
    const egressDup = await awsError(() =>
      p.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: ssh,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      ),
    );
    assert.deepEqual(
      [egressDup.name, egressDup.message],
      ['InvalidPermission.Duplicate', 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists'],
    );
  });

  it('RevokeSecurityGroupIngress/Egress by description and by rule id; unknown rules', async () => {
    const db = await create('db');
    const rule = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] };
    const { SecurityGroupRules } = await p.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [rule] }),
    );
    const notThere = { IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/16' }] };
    const none = await awsError(() =>
      p.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [notThere] })),
    );
    assert.deepEqual(
      [none.name, none.message],
      ['InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'],
    );
    const revoked = await p.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [rule, notThere] }),
    );
    assert.equal(revoked.Return, true);
    assert.deepEqual(revoked.RevokedSecurityGroupRules, [
      {
        SecurityGroupRuleId: SecurityGroupRules![0].SecurityGroupRuleId,
        GroupId: db,
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        CidrIpv4: '10.0.0.0/16',
      },
    ]);
    assert.deepEqual(
      revoked.UnknownIpPermissions?.map((u) => u.FromPort),
      [1],
    );
    const rules = await p.ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [db] }] }),
    );
    const egress = rules.SecurityGroupRules!.filter((r) => r.IsEgress);
    assert.equal(egress.length, 1);
    await p.ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: db,
        SecurityGroupRuleIds: [egress[0].SecurityGroupRuleId!],
      }),
    );
    const { SecurityGroups } = await p.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [db] }));
    assert.deepEqual([SecurityGroups![0].IpPermissions, SecurityGroups![0].IpPermissionsEgress], [[], []]);
    const unknownId = await awsError(() =>
      p.ec2.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: db,
          SecurityGroupRuleIds: ['sgr-0123456789abcdef0'],
        }),
      ),
    );
    assert.deepEqual(
      [unknownId.name, unknownId.message],
      [
        'InvalidSecurityGroupRuleId.NotFound',
        "The security group rule ID 'sgr-0123456789abcdef0' does not exist",
      ],
    );
  });

  it('DeleteSecurityGroup: never the default group; not while a group names it or an interface uses it', async () => {
    const cannot = await awsError(() =>
      p.ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroupId })),
    );
    assert.deepEqual(
      [cannot.name, cannot.message],
      [
        'CannotDelete',
        `the specified group: "${defaultGroupId}" name: "default" cannot be deleted by a user`,
      ],
    );
    const target = await create('target');
    const user = await create('user');
    await p.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: user,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: target }] }],
      }),
    );
    const named = await awsError(() => p.ec2.send(new DeleteSecurityGroupCommand({ GroupId: target })));
    assert.deepEqual(
      [named.name, named.message],
      ['DependencyViolation', `resource ${target} has a dependent object`],
    );
    // A group whose own rules name it can go.
    const self = await create('self');
    await p.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: self,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: self }] }],
      }),
    );
    assert.deepEqual(
      await p.ec2.send(new DeleteSecurityGroupCommand({ GroupId: self })).then((r) => [r.Return, r.GroupId]),
      [true, self],
    );
    const { Subnets } = await p.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }),
    );
    const eni = await p.taskEni(Subnets![0].SubnetId!, [user]);
    const used = await awsError(() => p.ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'user' })));
    assert.equal(used.name, 'DependencyViolation');
    const gone = await awsError(() =>
      p.ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0123456789abcdef0' })),
    );
    assert.equal(gone.name, 'InvalidGroup.NotFound');

    // The task's firewall follows the API's rules: `user` lets in everything from `target`'s members.
    const ctx = p.t.plane.regions.context('us-east-1');
    const peer = await p.taskEni(Subnets![0].SubnetId!, [target]);
    assert.deepEqual((await taskFirewall(ctx.store, eni.networkInterfaceId))?.ingress, [
      { protocol: 'all', cidrs: [`${peer.privateIpAddress}/32`] },
    ]);
  });
});
