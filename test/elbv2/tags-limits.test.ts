/** ELBv2 tags across load balancers, target groups, listeners and rules, and DescribeAccountLimits, through the SDK. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeAccountLimitsCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from '../support/control-plane.ts';
import { type Elbv2Plane, startElbv2Plane } from './elbv2-plane.ts';

describe('ELBv2 tags and account limits', () => {
  let p: Elbv2Plane;
  let lb: string;
  let tg: string;
  let listener: string;
  let rule: string;
  let defaultRule: string;
  before(async () => {
    p = await startElbv2Plane();
    lb = (
      await p.elb.send(
        new CreateLoadBalancerCommand({
          Name: 'web',
          Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
          Tags: [{ Key: 'team', Value: 'web' }],
        }),
      )
    ).LoadBalancers![0].LoadBalancerArn!;
    tg = (
      await p.elb.send(
        new CreateTargetGroupCommand({
          Name: 'web',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: p.vpcId,
          Tags: [{ Key: 'tier', Value: 'app' }],
        }),
      )
    ).TargetGroups![0].TargetGroupArn!;
    listener = (
      await p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
          Tags: [{ Key: 'port', Value: '80' }],
        }),
      )
    ).Listeners![0].ListenerArn!;
    rule = (
      await p.elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: 1,
          Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
          Actions: [{ Type: 'forward', TargetGroupArn: tg }],
        }),
      )
    ).Rules![0].RuleArn!;
    defaultRule = (await p.elb.send(new DescribeRulesCommand({ ListenerArn: listener }))).Rules!.find(
      (r) => r.IsDefault,
    )!.RuleArn!;
  });
  after(() => p.stop());

  it('describes tags given at creation, in the order of the ARNs asked for', async () => {
    const { TagDescriptions } = await p.elb.send(
      new DescribeTagsCommand({ ResourceArns: [tg, lb, listener, rule] }),
    );
    assert.deepEqual(TagDescriptions, [
      { ResourceArn: tg, Tags: [{ Key: 'tier', Value: 'app' }] },
      { ResourceArn: lb, Tags: [{ Key: 'team', Value: 'web' }] },
      { ResourceArn: listener, Tags: [{ Key: 'port', Value: '80' }] },
      { ResourceArn: rule, Tags: [] },
    ]);
  });

  it('adds and removes tags across resource types, default rules included', async () => {
    await p.elb.send(
      new AddTagsCommand({
        ResourceArns: [lb, rule, defaultRule],
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'core' },
        ],
      }),
    );
    await p.elb.send(new RemoveTagsCommand({ ResourceArns: [lb], TagKeys: ['env', 'absent'] }));
    const { TagDescriptions } = await p.elb.send(
      new DescribeTagsCommand({ ResourceArns: [lb, rule, defaultRule] }),
    );
    assert.deepEqual(
      TagDescriptions!.map((d) => d.Tags),
      [
        [{ Key: 'team', Value: 'core' }],
        [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'core' },
        ],
        [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'core' },
        ],
      ],
    );
  });

  it('refuses duplicate keys, reserved keys, too many tags and unknown resources, writing nothing', async () => {
    const dup = await awsError(() =>
      p.elb.send(
        new AddTagsCommand({
          ResourceArns: [lb],
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ],
        }),
      ),
    );
    assert.equal(dup.name, 'DuplicateTagKeysException');
    const reserved = await awsError(() =>
      p.elb.send(new AddTagsCommand({ ResourceArns: [lb], Tags: [{ Key: 'aws:x', Value: '1' }] })),
    );
    assert.equal(reserved.name, 'ValidationError');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await awsError(() => p.elb.send(new AddTagsCommand({ ResourceArns: [lb], Tags: many })));
    assert.equal(tooMany.name, 'TooManyTagsException');
    const missing = tg.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const unknown = await awsError(() =>
      p.elb.send(new AddTagsCommand({ ResourceArns: [lb, missing], Tags: [{ Key: 'new', Value: '1' }] })),
    );
    assert.equal(unknown.name, 'TargetGroupNotFoundException');
    const { TagDescriptions } = await p.elb.send(new DescribeTagsCommand({ ResourceArns: [lb] }));
    assert.deepEqual(
      TagDescriptions![0].Tags,
      [{ Key: 'team', Value: 'core' }],
      'the first ARN was not tagged either',
    );
    const badArn = await awsError(() =>
      p.elb.send(new DescribeTagsCommand({ ResourceArns: ['arn:aws:s3:::bucket'] })),
    );
    assert.equal(badArn.name, 'ValidationError');
  });

  it("answers ELBv2's default account limits", async () => {
    const { Limits } = await p.elb.send(new DescribeAccountLimitsCommand({}));
    const map = Object.fromEntries(Limits!.map((l) => [l.Name, l.Max]));
    assert.equal(map['application-load-balancers'], '50');
    assert.equal(map['target-groups'], '3000');
    assert.equal(map['listeners-per-application-load-balancer'], '50');
    assert.equal(map['rules-per-application-load-balancer'], '100');
    assert.equal(map['condition-values-per-alb-rule'], '5');
    assert.equal(Limits!.length, 18);
    const page = await p.elb.send(new DescribeAccountLimitsCommand({ PageSize: 5 }));
    assert.equal(page.Limits!.length, 5);
    assert.ok(page.NextMarker);
  });
});
