/** The ELBv2 records Longshore stores (load balancers, target groups, listeners, rules, targets, certificates) and the scope they are made in. */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { ConditionConfig, TargetReason } from '../dataplane/config.ts';

/** What creating ELBv2 records needs: time, randomness for ids, and the account and region. */
export interface Elbv2Scope {
  clock: Clock;
  rng: Rng;
  partition: Partition;
}

/** A tag as the records keep it (ELBv2 answers `{Key, Value}`). */
export interface Elbv2Tag {
  key: string;
  value: string;
}

export type LoadBalancerType = 'application' | 'network';
export type LoadBalancerScheme = 'internet-facing' | 'internal';
export type IpAddressType = 'ipv4' | 'dualstack' | 'dualstack-without-public-ipv4';

/** One subnet of a load balancer: ELBv2's AvailabilityZone entry. */
export interface LoadBalancerZone {
  subnetId: string;
  zoneName: string;
  zoneId: string;
}

/** Kind.Elbv2LoadBalancer, keyed by its ARN. */
export interface LoadBalancerRecord {
  arn: string;
  name: string;
  type: LoadBalancerType;
  scheme: LoadBalancerScheme;
  ipAddressType: IpAddressType;
  vpcId: string;
  /** One subnet per zone, in the order given. */
  zones: LoadBalancerZone[];
  /** ALB: at least one (the VPC's default group when none is given); NLB: only when given at creation. */
  securityGroups: string[];
  dnsName: string;
  canonicalHostedZoneId: string;
  /** Longshore makes load balancers active at once (ELBv2 shows `provisioning` for a few minutes). */
  state: 'active';
  /** Attributes set by ModifyLoadBalancerAttributes; the others have their type's default (attributes.ts). */
  attributes: Record<string, string>;
  tags: Elbv2Tag[];
  /** Epoch ms. */
  createdAt: number;
}

export type TargetGroupProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';
export type TargetType = 'instance' | 'ip';

export interface HealthCheckRecord {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  /** 'traffic-port' or a port number as text. */
  port: string;
  /** HTTP(S) health checks only. */
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** HTTP(S) health checks only: "200", "200,202", "200-299". */
  matcherHttpCode?: string;
}

/** Kind.Elbv2TargetGroup, keyed by its ARN. */
export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol: TargetGroupProtocol;
  /** HTTP/HTTPS target groups: HTTP1 (default), HTTP2 or GRPC. */
  protocolVersion?: string;
  port: number;
  vpcId: string;
  targetType: TargetType;
  ipAddressType: 'ipv4' | 'ipv6';
  healthCheck: HealthCheckRecord;
  /** Attributes set by ModifyTargetGroupAttributes; the others have their kind's default. */
  attributes: Record<string, string>;
  tags: Elbv2Tag[];
  createdAt: number;
}

/** A forward, redirect or fixed-response action as stored (ELBv2's Action without its SDK shape). */
export type ActionRecord =
  | {
      type: 'forward';
      order?: number;
      targetGroups: { targetGroupArn: string; weight: number }[];
      stickiness: { enabled: boolean; durationSeconds?: number };
    }
  | {
      type: 'redirect';
      order?: number;
      protocol: string;
      host: string;
      port: string;
      path: string;
      query: string;
      statusCode: 'HTTP_301' | 'HTTP_302';
    }
  | {
      type: 'fixed-response';
      order?: number;
      statusCode: string;
      contentType?: string;
      messageBody?: string;
    };

/** A rule condition as stored: the data plane's form (values OR'ed inside one, conditions AND'ed). */
export type ConditionRecord = ConditionConfig;

/** Kind.Elbv2Listener, keyed by its ARN (which embeds its load balancer's: list by prefix). */
export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: TargetGroupProtocol;
  /** HTTPS/TLS: the security policy's name. */
  sslPolicy?: string;
  /** HTTPS/TLS: the default certificate's ARN (Certificates has exactly one on CreateListener). */
  certificateArns: string[];
  /** HTTPS/TLS: the certificates AddListenerCertificates added besides the default (SNI). */
  additionalCertificateArns?: string[];
  /** TLS listeners: HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None. */
  alpnPolicy?: string;
  defaultActions: ActionRecord[];
  /** Listener attributes set by ModifyListenerAttributes; the others have their defaults. */
  attributes?: Record<string, string>;
  /** The ARN DescribeRules shows for the default rule (its actions are the listener's). */
  defaultRuleArn: string;
  tags: Elbv2Tag[];
  /** The default rule's own tags. */
  defaultRuleTags: Elbv2Tag[];
  createdAt: number;
}

/** Kind.Elbv2Rule, keyed by its ARN (which embeds its listener's). Never the default rule. */
export interface RuleRecord {
  arn: string;
  listenerArn: string;
  /** 1..50000, unique per listener. */
  priority: number;
  conditions: ConditionRecord[];
  actions: ActionRecord[];
  tags: Elbv2Tag[];
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

/** Health as the data plane last reported it (recordTargetHealth). */
export interface ReportedHealth {
  state: TargetState;
  reason?: TargetReason;
  description?: string;
  /** Epoch ms of the report. */
  at: number;
}

/** Kind.Elbv2Target, keyed `<target group ARN>|<id>:<port>` (list a group's by prefix). */
export interface TargetRecord {
  targetGroupArn: string;
  /** An instance id (`i-...`) or an IP address. */
  id: string;
  port: number;
  /** The zone the target is in (ip targets: the zone of the subnet holding the address; `all` outside the VPC). */
  availabilityZone?: string;
  registeredAt: number;
  /** Epoch ms deregistration began: the target drains until then + the group's deregistration delay. */
  drainingSince?: number;
  health?: ReportedHealth;
}

/** Kind.Elbv2Certificate, keyed by its ARN: what HTTPS/TLS listeners name until Longshore has ACM. */
export interface CertificateRecord {
  arn: string;
  certificatePem: string;
  privateKeyPem: string;
  chainPem?: string;
  createdAt: number;
}
