/** ELBv2 load balancers through @aws-sdk/client-elastic-load-balancing-v2: shapes, subnets, names, paging, attributes, deletion. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  SetIpAddressTypeCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from '../support/control-plane.ts';
import { ec2Client } from '../support/ec2-client.ts';
import { type Elbv2Plane, elbv2Client, startElbv2Plane } from './elbv2-plane.ts';

describe('ELBv2 load balancers', () => {
  let p: Elbv2Plane;
  let a: string;
  let b: string;
  before(async () => {
    p = await startElbv2Plane();
    a = p.subnets['us-east-1a'];
    b = p.subnets['us-east-1b'];
  });
  after(() => p.stop());

  it('creates an ALB active at once, with a .localhost DNS name and the VPC default group', async () => {
    const { LoadBalancers } = await p.elb.send(
      new CreateLoadBalancerCommand({ Name: 'web', Subnets: [a, b], Tags: [{ Key: 'team', Value: 'web' }] }),
    );
    const lb = LoadBalancers![0];
    assert.match(
      lb.LoadBalancerArn!,
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/web\/[0-9a-f]{16}$/,
    );
    assert.match(lb.DNSName!, /^web-\d{10}\.us-east-1\.elb\.localhost$/);
    assert.equal(lb.CanonicalHostedZoneId, 'Z35SXDOTRQ7X7K');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.Type, 'application');
    assert.deepEqual(lb.State, { Code: 'active' });
    assert.equal(lb.VpcId, p.vpcId);
    assert.equal(lb.IpAddressType, 'ipv4');
    assert.deepEqual(
      lb.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId]),
      [
        ['us-east-1a', a],
        ['us-east-1b', b],
      ],
    );
    assert.equal(lb.SecurityGroups?.length, 1);
    assert.ok(lb.CreatedTime instanceof Date);
    // The same call again answers the same load balancer; other settings under the name are refused.
    const again = await p.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [b, a] }));
    assert.equal(again.LoadBalancers![0].LoadBalancerArn, lb.LoadBalancerArn);
    const dup = await awsError(() =>
      p.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [a, b], Scheme: 'internal' })),
    );
    assert.equal(dup.name, 'DuplicateLoadBalancerNameException');
  });

  it('creates internal ALBs and NLBs as ELBv2 names them', async () => {
    const internal = await p.elb.send(
      new CreateLoadBalancerCommand({ Name: 'api', Subnets: [a, b], Scheme: 'internal' }),
    );
    assert.match(internal.LoadBalancers![0].DNSName!, /^internal-api-\d{10}\.us-east-1\.elb\.localhost$/);
    const nlb = await p.elb.send(
      new CreateLoadBalancerCommand({ Name: 'tcp', Type: 'network', SubnetMappings: [{ SubnetId: a }] }),
    );
    const lb = nlb.LoadBalancers![0];
    assert.match(lb.LoadBalancerArn!, /:loadbalancer\/net\/tcp\/[0-9a-f]{16}$/);
    assert.match(lb.DNSName!, /^tcp-[0-9a-f]{16}\.us-east-1\.elb\.localhost$/);
    assert.equal(lb.CanonicalHostedZoneId, 'Z26RNL4JYFTOTI');
    assert.equal(lb.SecurityGroups, undefined);
  });

  it('refuses bad placements with ELBv2 errors', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ Subnets: [a] }, 'ValidationError', /two subnets in two different Availability Zones/],
      [{ Subnets: ['subnet-0123456789abcdef0', a] }, 'SubnetNotFoundException', /subnet-0123456789abcdef0/],
      [{ Subnets: ['nope', a] }, 'InvalidSubnetException', /not valid/],
      [{ Subnets: [a, b], SubnetMappings: [{ SubnetId: a }] }, 'ValidationError', /not both/],
      [
        { Subnets: [a, b], SecurityGroups: ['sg-0123456789abcdef0'] },
        'InvalidSecurityGroupException',
        /does not exist/,
      ],
      [{ Subnets: [a, b], Type: 'gateway' }, 'ValidationError', /gateway/],
      [{ Subnets: [a, b], IpAddressType: 'dualstack' }, 'ValidationError', /IPv6/],
      [{ Subnets: [] }, 'ValidationError', /At least one subnet/],
    ];
    for (const [input, name, message] of cases) {
      const e = await awsError(() => p.elb.send(new CreateLoadBalancerCommand({ Name: 'bad', ...input })));
      assert.equal(e.name, name, JSON.stringify(input));
      assert.match(e.message, message);
    }
    // Two subnets of one zone; subnets of two VPCs.
    const { Vpc } = await p.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const { Subnet } = await p.ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc!.VpcId,
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'us-east-1a',
      }),
    );
    const mixed = await awsError(() =>
      p.elb.send(new CreateLoadBalancerCommand({ Name: 'bad', Subnets: [Subnet!.SubnetId!, b] })),
    );
    assert.equal(mixed.name, 'InvalidSubnetException');
    const { Subnet: second } = await p.ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc!.VpcId,
        CidrBlock: '10.0.2.0/24',
        AvailabilityZone: 'us-east-1a',
      }),
    );
    const sameZone = await awsError(() =>
      p.elb.send(
        new CreateLoadBalancerCommand({ Name: 'bad', Subnets: [Subnet!.SubnetId!, second!.SubnetId!] }),
      ),
    );
    assert.equal(sameZone.name, 'InvalidConfigurationRequestException');
    // A group of another VPC.
    const { GroupId } = await p.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'other', Description: 'other', VpcId: Vpc!.VpcId }),
    );
    const otherVpc = await awsError(() =>
      p.elb.send(new CreateLoadBalancerCommand({ Name: 'bad', Subnets: [a, b], SecurityGroups: [GroupId!] })),
    );
    assert.equal(otherVpc.name, 'InvalidSecurityGroupException');
    const none = await p.elb.send(new DescribeLoadBalancersCommand({}));
    assert.ok(
      !none.LoadBalancers!.some((lb) => lb.LoadBalancerName === 'bad'),
      'a refused call writes nothing',
    );
  });

  it('refuses names ELBv2 refuses', async () => {
    for (const name of ['-web', 'web-', 'internal-web', 'a'.repeat(33), 'web_1', '']) {
      const e = await awsError(() =>
        p.elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [a, b] })),
      );
      assert.equal(e.name, 'ValidationError', name);
    }
  });

  it('describes by ARN or name (all must exist) and pages with Marker and PageSize', async () => {
    for (const n of ['page-1', 'page-2', 'page-3']) {
      await p.elb.send(new CreateLoadBalancerCommand({ Name: n, Subnets: [a, b] }));
    }
    const byName = await p.elb.send(new DescribeLoadBalancersCommand({ Names: ['page-2', 'page-1'] }));
    assert.deepEqual(
      byName.LoadBalancers!.map((lb) => lb.LoadBalancerName),
      ['page-1', 'page-2'],
    );
    const missing = await awsError(() =>
      p.elb.send(new DescribeLoadBalancersCommand({ Names: ['page-1', 'nope'] })),
    );
    assert.deepEqual(
      [missing.name, missing.message],
      ['LoadBalancerNotFoundException', "Load balancers '[nope]' not found"],
    );
    const badArn = await awsError(() =>
      p.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ['arn:nope'] })),
    );
    assert.equal(badArn.name, 'ValidationError');
    const all = await p.elb.send(new DescribeLoadBalancersCommand({}));
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await p.elb.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: marker }));
      assert.ok(page.LoadBalancers!.length <= 2);
      seen.push(...page.LoadBalancers!.map((lb) => lb.LoadBalancerName!));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(
      seen,
      all.LoadBalancers!.map((lb) => lb.LoadBalancerName),
    );
    const tooBig = await awsError(() => p.elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 })));
    assert.equal(tooBig.name, 'ValidationError');
    const badMarker = await awsError(() =>
      p.elb.send(new DescribeLoadBalancersCommand({ Marker: 'garbage' })),
    );
    assert.equal(badMarker.name, 'ValidationError');
  });

  it('answers every attribute with its default, and modifies them as ELBv2 checks them', async () => {
    const { LoadBalancers } = await p.elb.send(new DescribeLoadBalancersCommand({ Names: ['web'] }));
    const arn = LoadBalancers![0].LoadBalancerArn!;
    const { Attributes } = await p.elb.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
    );
    const map = Object.fromEntries(Attributes!.map((x) => [x.Key, x.Value]));
    assert.equal(map['idle_timeout.timeout_seconds'], '60');
    assert.equal(map['deletion_protection.enabled'], 'false');
    assert.equal(map['routing.http2.enabled'], 'true');
    assert.equal(map['access_logs.s3.enabled'], 'false');
    assert.equal(map['load_balancing.cross_zone.enabled'], 'true');
    const modified = await p.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }],
      }),
    );
    assert.equal(modified.Attributes!.find((x) => x.Key === 'idle_timeout.timeout_seconds')?.Value, '120');
    assert.equal(modified.Attributes!.length, Attributes!.length);
    const unknown = await awsError(() =>
      p.elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'nope', Value: '1' }],
        }),
      ),
    );
    assert.deepEqual(
      [unknown.name, unknown.message],
      ['ValidationError', "Load balancer attribute key 'nope' is not recognized"],
    );
    const badValue = await awsError(() =>
      p.elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '0' }],
        }),
      ),
    );
    assert.equal(badValue.name, 'InvalidConfigurationRequestException');
    const noBucket = await awsError(() =>
      p.elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'access_logs.s3.enabled', Value: 'true' }],
        }),
      ),
    );
    assert.equal(noBucket.name, 'InvalidConfigurationRequestException');
    // NLB keys are not ALB keys.
    const nlbKey = await awsError(() =>
      p.elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'dns_record.client_routing_policy', Value: 'any_availability_zone' }],
        }),
      ),
    );
    assert.equal(nlbKey.name, 'ValidationError');
  });

  it('refuses deletion under deletion protection, and deletes with listeners otherwise', async () => {
    const { LoadBalancers } = await p.elb.send(
      new CreateLoadBalancerCommand({ Name: 'doomed', Subnets: [a, b] }),
    );
    const arn = LoadBalancers![0].LoadBalancerArn!;
    const { Listeners } = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
      }),
    );
    await p.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
      }),
    );
    const refused = await awsError(() => p.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
    assert.equal(refused.name, 'OperationNotPermittedException');
    await p.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }],
      }),
    );
    await p.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    // Gone with its listener; deleting again succeeds, as in ELBv2.
    const gone = await awsError(() =>
      p.elb.send(new DescribeListenersCommand({ ListenerArns: [Listeners![0].ListenerArn!] })),
    );
    assert.equal(gone.name, 'ListenerNotFoundException');
    await p.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
  });

  it('keeps regions apart: each has its own default VPC, names and ARNs', async () => {
    const eu = elbv2Client(p.t.plane.endpoint, 'eu-west-1');
    const euEc2 = ec2Client(p.t.plane.endpoint, 'eu-west-1');
    try {
      const { Subnets } = await euEc2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
      );
      const ids = Subnets!.slice(0, 2).map((s) => s.SubnetId!);
      // The same name as a us-east-1 load balancer: names are per region.
      const { LoadBalancers } = await eu.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: ids }));
      const lb = LoadBalancers![0];
      assert.match(
        lb.LoadBalancerArn!,
        /^arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer\/app\/web\//,
      );
      assert.match(lb.DNSName!, /\.eu-west-1\.elb\.localhost$/);
      assert.equal(lb.CanonicalHostedZoneId, 'Z32O12XQLNTSW2');
      const home = await awsError(() =>
        p.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })),
      );
      assert.equal(home.name, 'LoadBalancerNotFoundException');
      // A us-east-1 subnet does not exist in eu-west-1.
      const foreign = await awsError(() =>
        eu.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: [a, b] })),
      );
      assert.equal(foreign.name, 'SubnetNotFoundException');
    } finally {
      eu.destroy();
      euEc2.destroy();
    }
  });

  it('sets subnets and security groups', async () => {
    const { LoadBalancers } = await p.elb.send(new DescribeLoadBalancersCommand({ Names: ['web'] }));
    const arn = LoadBalancers![0].LoadBalancerArn!;
    const c = p.subnets['us-east-1c'];
    const set = await p.elb.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [a, c] }));
    assert.deepEqual(
      set.AvailabilityZones!.map((z) => z.ZoneName),
      ['us-east-1a', 'us-east-1c'],
    );
    const one = await awsError(() =>
      p.elb.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [c] })),
    );
    assert.equal(one.name, 'ValidationError');
    const { GroupId } = await p.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: p.vpcId }),
    );
    const groups = await p.elb.send(
      new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: [GroupId!] }),
    );
    assert.deepEqual(groups.SecurityGroupIds, [GroupId]);
    const { LoadBalancers: after } = await p.elb.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }),
    );
    assert.deepEqual(after![0].SecurityGroups, [GroupId]);
    assert.equal(
      (await p.elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: arn, IpAddressType: 'ipv4' })))
        .IpAddressType,
      'ipv4',
    );
    const dualstack = await awsError(() =>
      p.elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: arn, IpAddressType: 'dualstack' })),
    );
    assert.equal(dualstack.name, 'ValidationError');
    const nlb = (await p.elb.send(new DescribeLoadBalancersCommand({ Names: ['tcp'] }))).LoadBalancers![0];
    const nlbGroups = await awsError(() =>
      p.elb.send(
        new SetSecurityGroupsCommand({ LoadBalancerArn: nlb.LoadBalancerArn, SecurityGroups: [GroupId!] }),
      ),
    );
    assert.equal(nlbGroups.name, 'InvalidConfigurationRequestException');
  });
});
