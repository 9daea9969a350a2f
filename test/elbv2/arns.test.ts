/** ELBv2's ARNs (pure): their shapes, what embeds what, and the key prefixes the store lists children by. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arnKind,
  listenerArn,
  listenerArnOf,
  listenerPrefix,
  loadBalancerArn,
  loadBalancerArnOf,
  ruleArn,
  rulePrefix,
  targetGroupArn,
  targetKey,
} from '../../src/elbv2/model/index.ts';

const P = { region: 'eu-west-1', accountId: '123456789012' };

describe('ELBv2 ARNs', () => {
  const lb = loadBalancerArn(P, 'application', 'web', '50dc6c495c0c9188');
  const listener = listenerArn(lb, 'f2f7dc8efc522ab2');
  const rule = ruleArn(listener, '9683b2d02a6cabee');

  it('has ELBv2 shapes, each embedding its parents', () => {
    assert.equal(
      lb,
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188',
    );
    assert.equal(
      listener,
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
    );
    assert.equal(
      rule,
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
    );
    assert.equal(
      loadBalancerArn(P, 'network', 'tcp', '0123456789abcdef'),
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/tcp/0123456789abcdef',
    );
    assert.equal(
      targetGroupArn(P, 'web', '73e2d6bc24d8a067'),
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067',
    );
    assert.equal(loadBalancerArnOf(listener), lb);
    assert.equal(loadBalancerArnOf(rule), lb);
    assert.equal(listenerArnOf(rule), listener);
  });

  it('lists children by key prefix, and no other load balancer or listener shares it', () => {
    assert.ok(listener.startsWith(listenerPrefix(lb)));
    assert.ok(rule.startsWith(rulePrefix(listener)));
    const other = loadBalancerArn(P, 'application', 'web-2', '50dc6c495c0c9188');
    assert.ok(!listenerArn(other, 'f2f7dc8efc522ab2').startsWith(listenerPrefix(lb)));
    assert.ok(
      !ruleArn(listenerArn(lb, 'aaaaaaaaaaaaaaaa'), '9683b2d02a6cabee').startsWith(rulePrefix(listener)),
    );
  });

  it('tells the kind of an ARN, and refuses what is none', () => {
    assert.equal(arnKind(lb), 'loadbalancer');
    assert.equal(arnKind(listener), 'listener');
    assert.equal(arnKind(rule), 'listener-rule');
    assert.equal(arnKind(targetGroupArn(P, 'web', '73e2d6bc24d8a067')), 'targetgroup');
    for (const bad of [
      '',
      'web',
      'arn:aws:s3:::bucket',
      lb.replace('app/', 'gwy/'),
      `${lb}0`,
      lb.replace('123456789012', '12'),
    ]) {
      assert.equal(arnKind(bad), undefined, bad);
    }
  });

  it("keys targets under their group, the data plane's key after the bar", () => {
    const tg = targetGroupArn(P, 'web', '73e2d6bc24d8a067');
    assert.equal(targetKey(tg, 'i-0123456789abcdef0', 32768), `${tg}|i-0123456789abcdef0:32768`);
  });
});
