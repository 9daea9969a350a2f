/** ELBv2 targets through the SDK: registration rules for ip and instance targets, draining, and DescribeTargetHealth's states. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DeregisterContainerInstanceCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  describeTargetHealth,
  forgetDrainedTarget,
  recordTargetHealth,
} from '../../src/elbv2/model/index.ts';
import { registerTestInstance } from '../support/container-instances.ts';
import { awsError } from '../support/control-plane.ts';
import { type Elbv2Plane, startElbv2Plane } from './elbv2-plane.ts';

describe('ELBv2 targets and their health', () => {
  let p: Elbv2Plane;
  let ipGroup: string;
  let instanceGroup: string;
  let lbArn: string;
  let instanceId: string;
  const health = async (TargetGroupArn: string, Targets?: { Id: string; Port?: number }[]) =>
    (
      await p.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets }))
    ).TargetHealthDescriptions!.map((d) => [
      `${d.Target!.Id}:${d.Target!.Port}`,
      d.TargetHealth!.State,
      d.TargetHealth!.Reason,
    ]);
  before(async () => {
    p = await startElbv2Plane();
    const tg = async (Name: string, TargetType: 'ip' | 'instance') =>
      (
        await p.elb.send(
          new CreateTargetGroupCommand({ Name, Protocol: 'HTTP', Port: 80, VpcId: p.vpcId, TargetType }),
        )
      ).TargetGroups![0].TargetGroupArn!;
    ipGroup = await tg('ips', 'ip');
    instanceGroup = await tg('instances', 'instance');
    lbArn = (
      await p.elb.send(
        new CreateLoadBalancerCommand({
          Name: 'web',
          Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
        }),
      )
    ).LoadBalancers![0].LoadBalancerArn!;
    await p.t.ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
    const instance = await registerTestInstance(p.t.ecs, 'default', {
      instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0123456789abcdef0' }),
      attributes: [{ name: 'ecs.availability-zone', value: 'us-east-1b' }],
    });
    instanceId = instance.ec2InstanceId!;
  });
  after(() => p.stop());

  it('registers ip targets of the VPC (the zone from their subnet), and refuses others as ELBv2 does', async () => {
    await p.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: ipGroup,
        Targets: [{ Id: '172.31.0.10' }, { Id: '172.31.16.20', Port: 8080 }],
      }),
    );
    const out = await p.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ipGroup }));
    assert.deepEqual(
      out.TargetHealthDescriptions!.map((d) => [d.Target, d.HealthCheckPort]),
      [
        [{ Id: '172.31.0.10', Port: 80, AvailabilityZone: 'us-east-1a' }, '80'],
        [{ Id: '172.31.16.20', Port: 8080, AvailabilityZone: 'us-east-1b' }, '8080'],
      ],
    );
    const outside = await awsError(() =>
      p.elb.send(new RegisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: '10.9.9.9' }] })),
    );
    assert.deepEqual(
      [outside.name, outside.message],
      [
        'ValidationError',
        "The Availability Zone is required for IP address '10.9.9.9' because it is not in the VPC",
      ],
    );
    await p.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: ipGroup,
        Targets: [{ Id: '10.9.9.9', AvailabilityZone: 'all' }],
      }),
    );
    const overridden = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: ipGroup,
          Targets: [{ Id: '172.31.0.11', AvailabilityZone: 'all' }],
        }),
      ),
    );
    assert.equal(overridden.name, 'ValidationError');
    const notIp = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: 'i-0123456789abcdef0' }] }),
      ),
    );
    assert.equal(notIp.name, 'ValidationError');
    const badPort = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: ipGroup,
          Targets: [{ Id: '172.31.0.12', Port: 70000 }],
        }),
      ),
    );
    assert.equal(badPort.name, 'ValidationError');
    await p.elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: '10.9.9.9' }] }),
    );
  });

  it('registers instance targets only for ECS container instances Longshore knows', async () => {
    assert.equal(instanceId, 'i-0123456789abcdef0');
    await p.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: instanceGroup,
        Targets: [{ Id: instanceId, Port: 32768 }],
      }),
    );
    assert.deepEqual(await health(instanceGroup), [[`${instanceId}:32768`, 'unused', 'Target.NotInUse']]);
    const unknown = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: instanceGroup,
          Targets: [{ Id: 'i-0fedcba9876543210' }],
        }),
      ),
    );
    assert.deepEqual(
      [unknown.name, unknown.message],
      [
        'InvalidTargetException',
        "The following targets are not in a running state and cannot be registered: 'i-0fedcba9876543210'",
      ],
    );
    const malformed = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({ TargetGroupArn: instanceGroup, Targets: [{ Id: '10.0.0.1' }] }),
      ),
    );
    assert.deepEqual(
      [malformed.name, malformed.message],
      ['ValidationError', "Instance ID '10.0.0.1' is not valid"],
    );
    const missingGroup = await awsError(() =>
      p.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: instanceGroup.replace(/[0-9a-f]{16}$/, '0123456789abcdef'),
          Targets: [{ Id: instanceId }],
        }),
      ),
    );
    assert.equal(missingGroup.name, 'TargetGroupNotFoundException');
  });

  it('shows the target of a deregistered container instance as Target.InvalidState', async () => {
    const { containerInstanceArns } = await p.t.ecs.send(
      new ListContainerInstancesCommand({ cluster: 'default' }),
    );
    await p.t.ecs.send(
      new DeregisterContainerInstanceCommand({
        cluster: 'default',
        containerInstance: containerInstanceArns![0],
        force: true,
      }),
    );
    assert.deepEqual(await health(instanceGroup), [[`${instanceId}:32768`, 'unused', 'Target.InvalidState']]);
  });

  it('answers unused, initial, reported, draining and not-registered states', async () => {
    assert.deepEqual(await health(ipGroup), [
      ['172.31.0.10:80', 'unused', 'Target.NotInUse'],
      ['172.31.16.20:8080', 'unused', 'Target.NotInUse'],
    ]);
    const { Listeners } = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ipGroup }],
      }),
    );
    assert.deepEqual(await health(ipGroup), [
      ['172.31.0.10:80', 'initial', 'Elb.RegistrationInProgress'],
      ['172.31.16.20:8080', 'initial', 'Elb.RegistrationInProgress'],
    ]);
    // What a data plane reports is what DescribeTargetHealth answers.
    const ctx = p.t.plane.regions.context('us-east-1');
    await recordTargetHealth(
      ctx.store,
      ipGroup,
      [
        { targetGroupArn: ipGroup, key: '172.31.0.10:80', state: 'healthy' },
        {
          targetGroupArn: ipGroup,
          key: '172.31.16.20:8080',
          state: 'unhealthy',
          reason: 'Target.ResponseCodeMismatch',
          description: 'Health checks failed with these codes: [502]',
        },
      ],
      ctx.clock.now(),
    );
    const out = await p.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ipGroup }));
    assert.deepEqual(
      out.TargetHealthDescriptions!.map((d) => d.TargetHealth),
      [
        { State: 'healthy' },
        {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [502]',
        },
      ],
    );
    assert.deepEqual(await health(ipGroup, [{ Id: '172.31.0.99' }]), [
      ['172.31.0.99:80', 'unused', 'Target.NotRegistered'],
    ]);
    // Deregistering a target of a group in use drains it for the deregistration delay.
    await p.elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: '172.31.0.10' }] }),
    );
    assert.deepEqual((await health(ipGroup))[0], [
      '172.31.0.10:80',
      'draining',
      'Target.DeregistrationInProgress',
    ]);
    // A data plane's health report does not touch a draining target.
    await recordTargetHealth(
      ctx.store,
      ipGroup,
      [{ targetGroupArn: ipGroup, key: '172.31.0.10:80', state: 'healthy' }],
      ctx.clock.now(),
    );
    assert.equal((await health(ipGroup))[0][1], 'draining');
    // Registered again while draining, it is back (health checks start over), and drains again.
    await p.elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: '172.31.0.10' }] }),
    );
    assert.deepEqual((await health(ipGroup))[0], ['172.31.0.10:80', 'initial', 'Elb.RegistrationInProgress']);
    await p.elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: ipGroup, Targets: [{ Id: '172.31.0.10' }] }),
    );
    // After the delay (300 s) the target is gone, even with no data plane to say so.
    const later = await describeTargetHealth(ctx.store, ipGroup, ctx.clock.now() + 301_000);
    assert.deepEqual(
      later.map((v) => v.target.id),
      ['172.31.16.20'],
    );
    // A data plane that reports it drained makes it go at once.
    assert.equal(await forgetDrainedTarget(ctx.store, ipGroup, '172.31.0.10:80'), true);
    assert.deepEqual(
      (await health(ipGroup)).map((h) => h[0]),
      ['172.31.16.20:8080'],
    );
    // Deregistering what is not registered (here: gone, or on another port) succeeds and changes nothing, as in ELBv2.
    await p.elb.send(
      new DeregisterTargetsCommand({
        TargetGroupArn: ipGroup,
        Targets: [{ Id: '172.31.0.10' }, { Id: '172.31.16.20' }],
      }),
    );
    assert.deepEqual(
      (await health(ipGroup)).map((h) => h[0]),
      ['172.31.16.20:8080'],
    );
    // With a delay of 0, or once no load balancer uses the group, deregistration is immediate.
    await p.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: ipGroup,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }],
      }),
    );
    await p.elb.send(
      new DeregisterTargetsCommand({
        TargetGroupArn: ipGroup,
        Targets: [{ Id: '172.31.16.20', Port: 8080 }],
      }),
    );
    assert.deepEqual(await health(ipGroup), []);
    await p.elb.send(new DeleteListenerCommand({ ListenerArn: Listeners![0].ListenerArn }));
  });
});
