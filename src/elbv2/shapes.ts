/** Records in ELBv2's answer shapes (what Describe and Create calls return). */
import type {
  Action,
  Listener,
  LoadBalancer,
  Rule,
  RuleCondition,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { epochSeconds } from '../core/clock.ts';
import { assertNever } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { isHttpProtocol } from './model/attributes.ts';
import type {
  ActionRecord,
  ConditionRecord,
  ListenerRecord,
  LoadBalancerRecord,
  RuleRecord,
  TargetGroupRecord,
} from './model/records.ts';

export function loadBalancerShape(lb: LoadBalancerRecord): Wire<LoadBalancer> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: epochSeconds(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.zones.map((z) => ({
      ZoneName: z.zoneName,
      SubnetId: z.subnetId,
      LoadBalancerAddresses: [],
    })),
    ...(lb.securityGroups.length > 0 ? { SecurityGroups: lb.securityGroups } : {}),
    IpAddressType: lb.ipAddressType,
  };
}

export function targetGroupShape(
  tg: TargetGroupRecord,
  loadBalancerArns: readonly string[],
): Wire<TargetGroup> {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    ...(hc.path !== undefined ? { HealthCheckPath: hc.path } : {}),
    ...(hc.matcherHttpCode !== undefined ? { Matcher: { HttpCode: hc.matcherHttpCode } } : {}),
    LoadBalancerArns: [...loadBalancerArns],
    TargetType: tg.targetType,
    ...(isHttpProtocol(tg.protocol) && tg.protocolVersion ? { ProtocolVersion: tg.protocolVersion } : {}),
    IpAddressType: tg.ipAddressType,
  };
}

export function actionShape(action: ActionRecord): Wire<Action> {
  const order = action.order !== undefined ? { Order: action.order } : {};
  switch (action.type) {
    case 'forward': {
      const groups = action.targetGroups;
      return {
        Type: 'forward',
        ...(groups.length === 1 ? { TargetGroupArn: groups[0].targetGroupArn } : {}),
        ...order,
        ForwardConfig: {
          TargetGroups: groups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
          TargetGroupStickinessConfig: {
            Enabled: action.stickiness.enabled,
            ...(action.stickiness.durationSeconds !== undefined
              ? { DurationSeconds: action.stickiness.durationSeconds }
              : {}),
          },
        },
      };
    }
    case 'redirect':
      return {
        Type: 'redirect',
        ...order,
        RedirectConfig: {
          Protocol: action.protocol,
          Port: action.port,
          Host: action.host,
          Path: action.path,
          Query: action.query,
          StatusCode: action.statusCode,
        },
      };
    case 'fixed-response':
      return {
        Type: 'fixed-response',
        ...order,
        FixedResponseConfig: {
          StatusCode: action.statusCode,
          ...(action.contentType !== undefined ? { ContentType: action.contentType } : {}),
          ...(action.messageBody !== undefined ? { MessageBody: action.messageBody } : {}),
        },
      };
    default:
      return assertNever(action);
  }
}

export function conditionShape(c: ConditionRecord): Wire<RuleCondition> {
  switch (c.field) {
    case 'host-header':
      return { Field: c.field, Values: c.values, HostHeaderConfig: { Values: c.values } };
    case 'path-pattern':
      return { Field: c.field, Values: c.values, PathPatternConfig: { Values: c.values } };
    case 'http-header':
      return { Field: c.field, HttpHeaderConfig: { HttpHeaderName: c.headerName, Values: c.values } };
    case 'http-request-method':
      return { Field: c.field, HttpRequestMethodConfig: { Values: c.values } };
    case 'query-string':
      return {
        Field: c.field,
        QueryStringConfig: {
          Values: c.values.map((v) => ({ ...(v.key !== undefined ? { Key: v.key } : {}), Value: v.value })),
        },
      };
    case 'source-ip':
      return { Field: c.field, SourceIpConfig: { Values: c.values } };
    default:
      return assertNever(c);
  }
}

export function listenerShape(l: ListenerRecord): Wire<Listener> {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    ...(l.certificateArns.length > 0
      ? { Certificates: l.certificateArns.map((a) => ({ CertificateArn: a })) }
      : {}),
    ...(l.sslPolicy ? { SslPolicy: l.sslPolicy } : {}),
    DefaultActions: l.defaultActions.map(actionShape),
    ...(l.alpnPolicy ? { AlpnPolicy: [l.alpnPolicy] } : {}),
  };
}

export function ruleShape(rule: RuleRecord): Wire<Rule> {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions.map(conditionShape),
    Actions: rule.actions.map(actionShape),
    IsDefault: false,
  };
}

/** The listener's default rule: no conditions, the listener's default actions. */
export function defaultRuleShape(l: ListenerRecord): Wire<Rule> {
  return {
    RuleArn: l.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: l.defaultActions.map(actionShape),
    IsDefault: true,
  };
}
