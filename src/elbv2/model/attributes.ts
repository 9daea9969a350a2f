/**
 * Load balancer and target group attributes: the keys ELBv2 has for each type, their defaults and
 * the values each accepts. Records keep only what was modified; Describe answers every key of the
 * type, modified or default, in this table's order. Longshore records them all; the data plane acts
 * on the ones its config carries (idle timeout, HTTP/2, deregistration delay, slow start,
 * algorithm, stickiness, client IP preservation); docs/elbv2.md lists which.
 */
import { ServiceError } from '../../core/errors.ts';
import {
  type AttributeSpec,
  applyChanges,
  bool,
  bucket,
  intIn,
  offOr,
  oneOf,
  spec,
  text,
} from './attribute-specs.ts';
import { Elbv2ErrorCode, invalidConfiguration } from './errors.ts';
import type { LoadBalancerType, TargetGroupRecord } from './records.ts';

const ACCESS_LOGS: Record<string, AttributeSpec> = {
  'access_logs.s3.enabled': spec('false', bool()),
  'access_logs.s3.bucket': spec('', bucket()),
  'access_logs.s3.prefix': spec('', text(1024)),
};

/** Application Load Balancer attributes (ELBv2's defaults). */
const ALB: Readonly<Record<string, AttributeSpec>> = {
  ...ACCESS_LOGS,
  'client_keep_alive.seconds': spec('3600', intIn(60, 604800)),
  'connection_logs.s3.enabled': spec('false', bool()),
  'connection_logs.s3.bucket': spec('', bucket()),
  'connection_logs.s3.prefix': spec('', text(1024)),
  'deletion_protection.enabled': spec('false', bool()),
  'idle_timeout.timeout_seconds': spec('60', intIn(1, 4000)),
  'ipv6.deny_all_igw_traffic': spec('false', bool()),
  'load_balancing.cross_zone.enabled': spec('true', bool()),
  'routing.http.desync_mitigation_mode': spec('defensive', oneOf('monitor', 'defensive', 'strictest')),
  'routing.http.drop_invalid_header_fields.enabled': spec('false', bool()),
  'routing.http.preserve_host_header.enabled': spec('false', bool()),
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': spec('false', bool()),
  'routing.http.xff_client_port.enabled': spec('false', bool()),
  'routing.http.xff_header_processing.mode': spec('append', oneOf('append', 'preserve', 'remove')),
  'routing.http2.enabled': spec('true', bool()),
  'waf.fail_open.enabled': spec('false', bool()),
  'zonal_shift.config.enabled': spec('false', bool()),
};

/** Network Load Balancer attributes. */
const NLB: Readonly<Record<string, AttributeSpec>> = {
  ...ACCESS_LOGS,
  'deletion_protection.enabled': spec('false', bool()),
  'dns_record.client_routing_policy': spec(
    'any_availability_zone',
    oneOf('availability_zone_affinity', 'partial_availability_zone_affinity', 'any_availability_zone'),
  ),
  'ipv6.deny_all_igw_traffic': spec('false', bool()),
  'load_balancing.cross_zone.enabled': spec('false', bool()),
  'zonal_shift.config.enabled': spec('false', bool()),
};

const TG_HEALTH: Record<string, AttributeSpec> = {
  'target_group_health.dns_failover.minimum_healthy_targets.count': spec('1', offOr(1, 10000)),
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': spec('off', offOr(1, 100)),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': spec('1', intIn(1, 10000)),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': spec(
    'off',
    offOr(1, 100),
  ),
};

/** Target groups of Application Load Balancers (HTTP, HTTPS). */
const HTTP_TG: Readonly<Record<string, AttributeSpec>> = {
  'deregistration_delay.timeout_seconds': spec('300', intIn(0, 3600)),
  'load_balancing.algorithm.type': spec(
    'round_robin',
    oneOf('round_robin', 'least_outstanding_requests', 'weighted_random'),
  ),
  'load_balancing.algorithm.anomaly_mitigation': spec('off', oneOf('on', 'off')),
  'load_balancing.cross_zone.enabled': spec(
    'use_load_balancer_configuration',
    oneOf('true', 'false', 'use_load_balancer_configuration'),
  ),
  'slow_start.duration_seconds': spec('0', intIn(30, 900, true)),
  'stickiness.enabled': spec('false', bool()),
  'stickiness.type': spec('lb_cookie', oneOf('lb_cookie', 'app_cookie')),
  'stickiness.lb_cookie.duration_seconds': spec('86400', intIn(1, 604800)),
  'stickiness.app_cookie.cookie_name': spec('', (v) =>
    v === '' || /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,1024}$/.test(v) ? undefined : 'must be a valid cookie name',
  ),
  'stickiness.app_cookie.duration_seconds': spec('86400', intIn(1, 604800)),
  ...TG_HEALTH,
};

/** Target groups of Network Load Balancers (TCP, UDP, TCP_UDP, TLS). */
function networkTargetGroup(
  tg: Pick<TargetGroupRecord, 'protocol' | 'targetType'>,
): Record<string, AttributeSpec> {
  // ELBv2 preserves client addresses by default for instance targets and for UDP and TCP_UDP groups.
  const preserve = tg.targetType === 'instance' || tg.protocol === 'UDP' || tg.protocol === 'TCP_UDP';
  return {
    'deregistration_delay.timeout_seconds': spec('300', intIn(0, 3600)),
    'deregistration_delay.connection_termination.enabled': spec('false', bool()),
    'load_balancing.cross_zone.enabled': spec(
      'use_load_balancer_configuration',
      oneOf('true', 'false', 'use_load_balancer_configuration'),
    ),
    'preserve_client_ip.enabled': spec(String(preserve), bool()),
    'proxy_protocol_v2.enabled': spec('false', bool()),
    'stickiness.enabled': spec('false', bool()),
    'stickiness.type': spec('source_ip', oneOf('source_ip')),
    'target_health_state.unhealthy.connection_termination.enabled': spec('true', bool()),
    'target_health_state.unhealthy.draining_interval_seconds': spec('0', intIn(0, 360000)),
    ...TG_HEALTH,
  };
}

export const isHttpProtocol = (p: string) => p === 'HTTP' || p === 'HTTPS';

function loadBalancerSpecs(type: LoadBalancerType): Readonly<Record<string, AttributeSpec>> {
  return type === 'application' ? ALB : NLB;
}

function targetGroupSpecs(tg: Pick<TargetGroupRecord, 'protocol' | 'targetType'>) {
  return isHttpProtocol(tg.protocol) ? HTTP_TG : networkTargetGroup(tg);
}

export interface Attribute {
  key: string;
  value: string;
}

/** Every attribute of a load balancer of `type`: the modified ones' values, else the defaults. */
export function loadBalancerAttributes(
  type: LoadBalancerType,
  set: Readonly<Record<string, string>>,
): Attribute[] {
  return Object.entries(loadBalancerSpecs(type)).map(([key, s]) => ({ key, value: set[key] ?? s.default }));
}

export function targetGroupAttributes(
  tg: Pick<TargetGroupRecord, 'protocol' | 'targetType' | 'attributes'>,
): Attribute[] {
  return Object.entries(targetGroupSpecs(tg)).map(([key, s]) => ({
    key,
    value: tg.attributes[key] ?? s.default,
  }));
}

/** One attribute's current value (its default when never modified). */
export function loadBalancerAttribute(
  type: LoadBalancerType,
  set: Readonly<Record<string, string>>,
  key: string,
) {
  return set[key] ?? loadBalancerSpecs(type)[key]?.default ?? '';
}

export function targetGroupAttribute(
  tg: Pick<TargetGroupRecord, 'protocol' | 'targetType' | 'attributes'>,
  key: string,
) {
  return tg.attributes[key] ?? targetGroupSpecs(tg)[key]?.default ?? '';
}

export function modifiedLoadBalancerAttributes(
  type: LoadBalancerType,
  set: Readonly<Record<string, string>>,
  changes: readonly { Key?: string; Value?: string }[],
): Record<string, string> {
  const out = applyChanges(loadBalancerSpecs(type), 'Load balancer', set, changes);
  for (const logs of ['access_logs', 'connection_logs']) {
    if (out[`${logs}.s3.enabled`] === 'true' && !out[`${logs}.s3.bucket`]) {
      throw invalidConfiguration(
        `The value of '${logs}.s3.bucket' cannot be empty when '${logs}.s3.enabled' is true`,
      );
    }
  }
  return out;
}

export function modifiedTargetGroupAttributes(
  tg: Pick<TargetGroupRecord, 'protocol' | 'targetType' | 'attributes'>,
  changes: readonly { Key?: string; Value?: string }[],
): Record<string, string> {
  const out = applyChanges(targetGroupSpecs(tg), 'Target group', tg.attributes, changes);
  const merged = { ...tg, attributes: out };
  if (
    targetGroupAttribute(merged, 'load_balancing.algorithm.type') === 'least_outstanding_requests' &&
    targetGroupAttribute(merged, 'slow_start.duration_seconds') !== '0'
  ) {
    throw invalidConfiguration(
      'Slow start mode is not supported with the least outstanding requests algorithm',
    );
  }
  if (
    targetGroupAttribute(merged, 'stickiness.enabled') === 'true' &&
    targetGroupAttribute(merged, 'stickiness.type') === 'app_cookie' &&
    targetGroupAttribute(merged, 'stickiness.app_cookie.cookie_name') === ''
  ) {
    throw invalidConfiguration(
      "'stickiness.app_cookie.cookie_name' must be specified for app_cookie stickiness",
    );
  }
  return out;
}

/** Deletion protection refuses DeleteLoadBalancer (OperationNotPermitted). */
export function deletionProtected(type: LoadBalancerType, set: Readonly<Record<string, string>>): boolean {
  return loadBalancerAttribute(type, set, 'deletion_protection.enabled') === 'true';
}

export const operationNotPermitted = (message: string) =>
  new ServiceError(Elbv2ErrorCode.OperationNotPermitted, message);
