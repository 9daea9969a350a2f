/** ELBv2 target groups through the SDK: health check defaults and ranges, names, attributes, deletion while in use. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from '../support/control-plane.ts';
import { type Elbv2Plane, startElbv2Plane } from './elbv2-plane.ts';

describe('ELBv2 target groups', () => {
  let p: Elbv2Plane;
  before(async () => {
    p = await startElbv2Plane();
  });
  after(() => p.stop());

  it('gives HTTP groups the ALB health check defaults', async () => {
    const { TargetGroups } = await p.elb.send(
      new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: p.vpcId }),
    );
    const tg = TargetGroups![0];
    assert.match(
      tg.TargetGroupArn!,
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/web\/[0-9a-f]{16}$/,
    );
    assert.deepEqual(
      { ...tg, TargetGroupArn: undefined },
      {
        TargetGroupArn: undefined,
        TargetGroupName: 'web',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: p.vpcId,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200' },
        LoadBalancerArns: [],
        TargetType: 'instance',
        ProtocolVersion: 'HTTP1',
        IpAddressType: 'ipv4',
      },
    );
    // The same call again is the same group; other settings under the name are refused.
    const again = await p.elb.send(
      new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: p.vpcId }),
    );
    assert.equal(again.TargetGroups![0].TargetGroupArn, tg.TargetGroupArn);
    const dup = await awsError(() =>
      p.elb.send(new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 8080, VpcId: p.vpcId })),
    );
    assert.equal(dup.name, 'DuplicateTargetGroupNameException');
  });

  it('gives TCP groups the NLB defaults (TCP checks, no path or matcher)', async () => {
    const { TargetGroups } = await p.elb.send(
      new CreateTargetGroupCommand({
        Name: 'tcp',
        Protocol: 'TCP',
        Port: 6379,
        VpcId: p.vpcId,
        TargetType: 'ip',
      }),
    );
    const tg = TargetGroups![0];
    assert.equal(tg.HealthCheckProtocol, 'TCP');
    assert.equal(tg.HealthCheckTimeoutSeconds, 10);
    assert.equal(tg.HealthCheckPath, undefined);
    assert.equal(tg.Matcher, undefined);
    assert.equal(tg.ProtocolVersion, undefined);
    const http = await p.elb.send(
      new CreateTargetGroupCommand({
        Name: 'tcp-http-check',
        Protocol: 'TCP',
        Port: 80,
        VpcId: p.vpcId,
        HealthCheckProtocol: 'HTTP',
      }),
    );
    assert.deepEqual(
      [
        http.TargetGroups![0].HealthCheckPath,
        http.TargetGroups![0].Matcher,
        http.TargetGroups![0].HealthCheckTimeoutSeconds,
      ],
      ['/', { HttpCode: '200-399' }, 6],
    );
  });

  it('refuses what ELBv2 refuses, and target types Longshore does not serve', async () => {
    const base = { Name: 'bad', Protocol: 'HTTP' as const, Port: 80, VpcId: p.vpcId };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ TargetType: 'lambda' }, 'ValidationError', /does not support target type 'lambda'/],
      [{ TargetType: 'alb' }, 'ValidationError', /does not support target type 'alb'/],
      [{ Matcher: { HttpCode: '600' } }, 'ValidationError', /matcher/],
      [{ Matcher: { HttpCode: '200-' } }, 'ValidationError', /matcher/],
      [{ HealthCheckIntervalSeconds: 4 }, 'ValidationError', /interval/],
      [
        { HealthCheckTimeoutSeconds: 30, HealthCheckIntervalSeconds: 30 },
        'InvalidConfigurationRequestException',
        /greater than the timeout/,
      ],
      [{ HealthyThresholdCount: 11 }, 'ValidationError', /threshold/],
      [{ HealthCheckProtocol: 'TCP' }, 'ValidationError', /not supported/],
      [{ HealthCheckPath: 'health' }, 'ValidationError', /must start with/],
      [{ HealthCheckEnabled: false }, 'ValidationError', /cannot be disabled/],
      [{ Port: 0 }, 'ValidationError', /Port/],
      [{ VpcId: 'vpc-0123456789abcdef0' }, 'ValidationError', /not found/],
      [{ Protocol: 'GENEVE' }, 'ValidationError', /GENEVE/],
      [{ ProtocolVersion: 'GRPC' }, 'ValidationError', /GRPC/],
      [{ Name: 'bad_name' }, 'ValidationError', /alphanumeric/],
    ];
    for (const [input, name, message] of cases) {
      const e = await awsError(() => p.elb.send(new CreateTargetGroupCommand({ ...base, ...input })));
      assert.equal(e.name, name, JSON.stringify(input));
      assert.match(e.message, message, JSON.stringify(input));
    }
  });

  it('modifies the health check and keeps the rest', async () => {
    const { TargetGroups } = await p.elb.send(new DescribeTargetGroupsCommand({ Names: ['web'] }));
    const arn = TargetGroups![0].TargetGroupArn!;
    const out = await p.elb.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: arn,
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200-299' },
      }),
    );
    const tg = out.TargetGroups![0];
    assert.deepEqual(
      [tg.HealthCheckPath, tg.Matcher?.HttpCode, tg.HealthCheckIntervalSeconds],
      ['/health', '200-299', 30],
    );
    const bad = await awsError(() =>
      p.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckTimeoutSeconds: 40 })),
    );
    assert.equal(bad.name, 'InvalidConfigurationRequestException');
  });

  it('answers attributes per kind of group and checks modifications', async () => {
    const web = (await p.elb.send(new DescribeTargetGroupsCommand({ Names: ['web'] }))).TargetGroups![0]
      .TargetGroupArn!;
    const tcp = (await p.elb.send(new DescribeTargetGroupsCommand({ Names: ['tcp'] }))).TargetGroups![0]
      .TargetGroupArn!;
    const attrs = async (arn: string) =>
      Object.fromEntries(
        (await p.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))).Attributes!.map(
          (a) => [a.Key, a.Value],
        ),
      );
    const httpAttrs = await attrs(web);
    assert.equal(httpAttrs['deregistration_delay.timeout_seconds'], '300');
    assert.equal(httpAttrs['stickiness.enabled'], 'false');
    assert.equal(httpAttrs['stickiness.type'], 'lb_cookie');
    assert.equal(httpAttrs['stickiness.lb_cookie.duration_seconds'], '86400');
    assert.equal(httpAttrs['slow_start.duration_seconds'], '0');
    assert.equal(httpAttrs['load_balancing.algorithm.type'], 'round_robin');
    assert.equal(httpAttrs['preserve_client_ip.enabled'], undefined);
    const tcpAttrs = await attrs(tcp);
    assert.equal(tcpAttrs['stickiness.type'], 'source_ip');
    // An ip TCP group does not preserve client addresses by default; instance groups do.
    assert.equal(tcpAttrs['preserve_client_ip.enabled'], 'false');
    assert.equal(tcpAttrs['proxy_protocol_v2.enabled'], 'false');
    const out = await p.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: web,
        Attributes: [
          { Key: 'deregistration_delay.timeout_seconds', Value: '10' },
          { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
        ],
      }),
    );
    assert.equal(out.Attributes!.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '10');
    const slowStart = await awsError(() =>
      p.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: web,
          Attributes: [{ Key: 'slow_start.duration_seconds', Value: '60' }],
        }),
      ),
    );
    assert.equal(slowStart.name, 'InvalidConfigurationRequestException');
    const range = await awsError(() =>
      p.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: web,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }],
        }),
      ),
    );
    assert.equal(range.name, 'InvalidConfigurationRequestException');
    const wrongKind = await awsError(() =>
      p.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: web,
          Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }],
        }),
      ),
    );
    assert.equal(wrongKind.name, 'ValidationError');
    // Nothing of a refused call was written.
    assert.equal((await attrs(web))['slow_start.duration_seconds'], '0');
  });

  it('refuses to delete a group a listener forwards to, and lists it under its load balancer', async () => {
    const { LoadBalancers } = await p.elb.send(
      new CreateLoadBalancerCommand({
        Name: 'web',
        Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
      }),
    );
    const lbArn = LoadBalancers![0].LoadBalancerArn!;
    const tgArn = (await p.elb.send(new DescribeTargetGroupsCommand({ Names: ['web'] }))).TargetGroups![0]
      .TargetGroupArn!;
    const { Listeners } = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
    const byLb = await p.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    assert.deepEqual(
      byLb.TargetGroups!.map((t) => [t.TargetGroupName, t.LoadBalancerArns]),
      [['web', [lbArn]]],
    );
    const inUse = await awsError(() => p.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn })));
    assert.equal(inUse.name, 'ResourceInUseException');
    await p.elb.send(new DeleteListenerCommand({ ListenerArn: Listeners![0].ListenerArn }));
    await p.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    const gone = await awsError(() =>
      p.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] })),
    );
    assert.equal(gone.name, 'TargetGroupNotFoundException');
    // Deleting again succeeds, as in ELBv2.
    await p.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
  });

  it('pages target groups', async () => {
    const all = (await p.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.map(
      (t) => t.TargetGroupName,
    );
    const first = await p.elb.send(new DescribeTargetGroupsCommand({ PageSize: 1 }));
    assert.equal(first.TargetGroups!.length, 1);
    const rest = await p.elb.send(new DescribeTargetGroupsCommand({ Marker: first.NextMarker }));
    assert.deepEqual(
      [...first.TargetGroups!, ...rest.TargetGroups!].map((t) => t.TargetGroupName),
      all,
    );
    const both = await awsError(() =>
      p.elb.send(
        new DescribeTargetGroupsCommand({
          Names: ['tcp'],
          TargetGroupArns: [first.TargetGroups![0].TargetGroupArn!],
        }),
      ),
    );
    assert.equal(both.name, 'ValidationError');
  });
});
