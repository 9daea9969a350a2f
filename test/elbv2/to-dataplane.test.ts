/** The data plane's config made from a region's ELBv2 records (made through the API), and its contract's shapes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { readElbv2Records, toDataplaneConfig } from '../../src/elbv2/model/index.ts';
import { registerTestInstance } from '../support/container-instances.ts';
import { type Elbv2Plane, startElbv2Plane, TEST_CERT_PEM, TEST_KEY_PEM } from './elbv2-plane.ts';

describe('ELBv2 records to the data plane config', () => {
  let p: Elbv2Plane;
  before(async () => {
    p = await startElbv2Plane();
  });
  after(() => p.stop());

  it('carries load balancers, listeners, rules by priority, groups with their attributes and live targets', async () => {
    const lb = (
      await p.elb.send(
        new CreateLoadBalancerCommand({
          Name: 'web',
          Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
        }),
      )
    ).LoadBalancers![0];
    await p.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Attributes: [
          { Key: 'idle_timeout.timeout_seconds', Value: '30' },
          { Key: 'routing.http2.enabled', Value: 'false' },
        ],
      }),
    );
    const ipTg = (
      await p.elb.send(
        new CreateTargetGroupCommand({
          Name: 'ips',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: p.vpcId,
          TargetType: 'ip',
        }),
      )
    ).TargetGroups![0].TargetGroupArn!;
    const instTg = (
      await p.elb.send(
        new CreateTargetGroupCommand({ Name: 'inst', Protocol: 'HTTP', Port: 80, VpcId: p.vpcId }),
      )
    ).TargetGroups![0].TargetGroupArn!;
    await p.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: ipTg,
        Attributes: [
          { Key: 'stickiness.enabled', Value: 'true' },
          { Key: 'deregistration_delay.timeout_seconds', Value: '5' },
        ],
      }),
    );
    await p.t.ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
    const a = await registerTestInstance(p.t.ecs, 'default', {
      instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0aaaaaaaaaaaaaaaa' }),
    });
    const b = await registerTestInstance(p.t.ecs, 'default', {
      instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0bbbbbbbbbbbbbbbb' }),
    });
    await p.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: instTg,
        Targets: [
          { Id: a.ec2InstanceId!, Port: 32768 },
          { Id: b.ec2InstanceId!, Port: 32769 },
        ],
      }),
    );
    await p.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: ipTg,
        Targets: [{ Id: '172.31.0.10' }, { Id: '172.31.0.11' }],
      }),
    );
    const cert = await p.certificate();
    const https = (
      await p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTPS',
          Port: 443,
          Certificates: [{ CertificateArn: cert }],
          DefaultActions: [{ Type: 'forward', TargetGroupArn: ipTg }],
        }),
      )
    ).Listeners![0].ListenerArn!;
    const rule = async (Priority: number, path: string) =>
      (
        await p.elb.send(
          new CreateRuleCommand({
            ListenerArn: https,
            Priority,
            Conditions: [{ Field: 'path-pattern', Values: [path] }],
            Actions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: instTg, Weight: 3 },
                    { TargetGroupArn: ipTg, Weight: 1 },
                  ],
                  TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
                },
              },
            ],
          }),
        )
      ).Rules![0].RuleArn!;
    const late = await rule(20, '/b/*');
    const early = await rule(5, '/a/*');
    await p.elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: ipTg, Targets: [{ Id: '172.31.0.11' }] }),
    );

    const ctx = p.t.plane.regions.context('us-east-1');
    const now = ctx.clock.now();
    const records = await ctx.store.transact((tx) => readElbv2Records(tx, now));
    const hosts: Record<string, string> = { 'i-0aaaaaaaaaaaaaaaa': '192.168.1.10' };
    const config = toDataplaneConfig(records, 7, (id) => hosts[id]);

    assert.equal(config.generation, 7);
    const lbConfig = config.loadBalancers[0];
    assert.deepEqual(
      { ...lbConfig, listeners: undefined },
      {
        arn: lb.LoadBalancerArn,
        type: 'application',
        dnsName: lb.DNSName,
        idleTimeoutSeconds: 30,
        http2Enabled: false,
        listeners: undefined,
      },
    );
    const listener = lbConfig.listeners[0];
    assert.deepEqual([listener.protocol, listener.port], ['HTTPS', 443]);
    assert.deepEqual(listener.certificate, { certificatePem: TEST_CERT_PEM, privateKeyPem: TEST_KEY_PEM });
    assert.deepEqual(
      listener.rules.map((r) => [r.arn, r.priority]),
      [
        [early, 5],
        [late, 20],
      ],
    );
    assert.deepEqual(listener.rules[0].conditions, [{ field: 'path-pattern', values: ['/a/*'] }]);
    assert.deepEqual(listener.rules[0].actions, [
      {
        type: 'forward',
        targetGroups: [
          { targetGroupArn: instTg, weight: 3 },
          { targetGroupArn: ipTg, weight: 1 },
        ],
        groupStickiness: { durationSeconds: 60 },
      },
    ]);
    assert.deepEqual(listener.defaultActions, [
      { type: 'forward', targetGroups: [{ targetGroupArn: ipTg, weight: 1 }] },
    ]);

    const ipConfig = config.targetGroups.find((g) => g.arn === ipTg)!;
    assert.equal(ipConfig.deregistrationDelaySeconds, 5);
    assert.deepEqual(ipConfig.stickiness, { type: 'lb_cookie', durationSeconds: 86400 });
    assert.equal(ipConfig.algorithm, 'round_robin');
    assert.equal(ipConfig.healthCheck.matcherHttpCode, '200');
    assert.deepEqual(
      ipConfig.targets.map((t) => [
        t.key,
        t.address,
        t.port,
        t.availabilityZone,
        t.drainingSince !== undefined,
      ]),
      [
        ['172.31.0.10:80', '172.31.0.10', 80, 'us-east-1a', false],
        ['172.31.0.11:80', '172.31.0.11', 80, 'us-east-1a', true],
      ],
    );
    // An instance the resolver does not know is left out.
    const instConfig = config.targetGroups.find((g) => g.arn === instTg)!;
    assert.deepEqual(
      instConfig.targets.map((t) => [t.key, t.address, t.port]),
      [['i-0aaaaaaaaaaaaaaaa:32768', '192.168.1.10', 32768]],
    );
    // Once the drain is over the target is gone from the config.
    const afterDrain = toDataplaneConfig(
      await ctx.store.transact((tx) => readElbv2Records(tx, now + 6000)),
      8,
      (id) => hosts[id],
    );
    assert.deepEqual(
      afterDrain.targetGroups.find((g) => g.arn === ipTg)!.targets.map((t) => t.key),
      ['172.31.0.10:80'],
    );
  });
});
