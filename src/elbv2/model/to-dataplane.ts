/**
 * The data plane's config from a region's ELBv2 records: a pure function (the glue that reads the
 * store and sends the config lives elsewhere). Only what the data plane serves is included:
 * every load balancer with its listeners, rules by ascending priority and default actions, and
 * every target group with its live targets (draining ones marked, finished drains left out).
 *
 * Instance targets are connected to at their host's address, which `resolveInstance` gives (the
 * control plane knows its agents' addresses); an instance it cannot resolve is left out of the
 * config, and the glue reports it `unavailable`.
 */
import type {
  ActionConfig,
  DataplaneConfig,
  HealthCheckConfig,
  ListenerConfig,
  TargetConfig,
  TargetGroupConfig,
} from '../dataplane/config.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { loadBalancerAttribute, targetGroupAttribute } from './attributes.ts';
import { listListeners, listLoadBalancers, listRules, listTargetGroups } from './lookups.ts';
import { targetsByGroup } from './target-records.ts';
import type {
  ActionRecord,
  CertificateRecord,
  ListenerRecord,
  LoadBalancerRecord,
  RuleRecord,
  TargetGroupRecord,
  TargetRecord,
} from './records.ts';

/** Everything of one region the config is made from (read in one transaction). */
export interface Elbv2Records {
  loadBalancers: readonly LoadBalancerRecord[];
  listeners: readonly ListenerRecord[];
  rules: readonly RuleRecord[];
  targetGroups: readonly TargetGroupRecord[];
  /** Target group ARN -> its targets (target-records.ts' `targetsByGroup`). */
  targets: ReadonlyMap<string, readonly TargetRecord[]>;
  certificates: ReadonlyMap<string, CertificateRecord>;
}

/** Reads a region's records for `toDataplaneConfig` (call it in one transaction for a consistent view). */
export async function readElbv2Records(reader: Reader, now: number): Promise<Elbv2Records> {
  const targetGroups = await listTargetGroups(reader);
  const certificates = await reader.list<CertificateRecord>(Kind.Elbv2Certificate);
  return {
    loadBalancers: await listLoadBalancers(reader),
    listeners: await listListeners(reader),
    rules: await listRules(reader),
    targetGroups,
    targets: await targetsByGroup(reader, targetGroups, now),
    certificates: new Map(certificates.map((c) => [c.key, c.value])),
  };
}

/** Where an instance target is reached (its host's address), undefined when unknown. */
export type InstanceResolver = (instanceId: string) => string | undefined;

export function toDataplaneConfig(
  records: Elbv2Records,
  generation: number,
  resolveInstance: InstanceResolver,
): DataplaneConfig {
  const byArn = <T extends { arn: string }>(a: T, b: T) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  return {
    generation,
    loadBalancers: [...records.loadBalancers].sort(byArn).map((lb) => ({
      arn: lb.arn,
      type: lb.type,
      dnsName: lb.dnsName,
      idleTimeoutSeconds:
        lb.type === 'application'
          ? Number(loadBalancerAttribute(lb.type, lb.attributes, 'idle_timeout.timeout_seconds'))
          : 350,
      http2Enabled:
        lb.type === 'application' &&
        loadBalancerAttribute(lb.type, lb.attributes, 'routing.http2.enabled') === 'true',
      listeners: records.listeners
        .filter((l) => l.loadBalancerArn === lb.arn)
        .sort((a, b) => a.port - b.port)
        .map((l) => listenerConfig(l, records)),
    })),
    targetGroups: [...records.targetGroups]
      .sort(byArn)
      .map((tg) => targetGroupConfig(tg, records.targets.get(tg.arn) ?? [], resolveInstance)),
  };
}

function listenerConfig(l: ListenerRecord, records: Elbv2Records): ListenerConfig {
  const cert =
    l.certificateArns[0] !== undefined ? records.certificates.get(l.certificateArns[0]) : undefined;
  return {
    arn: l.arn,
    protocol: l.protocol,
    port: l.port,
    ...(cert
      ? {
          certificate: {
            certificatePem: cert.certificatePem,
            privateKeyPem: cert.privateKeyPem,
            ...(cert.chainPem ? { chainPem: cert.chainPem } : {}),
          },
        }
      : {}),
    rules: records.rules
      .filter((r) => r.listenerArn === l.arn)
      .sort((a, b) => a.priority - b.priority)
      .map((r) => ({
        arn: r.arn,
        priority: r.priority,
        conditions: r.conditions.map((c) => structuredClone(c)),
        actions: r.actions.map(actionConfig),
      })),
    defaultActions: l.defaultActions.map(actionConfig),
  };
}

function actionConfig(a: ActionRecord): ActionConfig {
  switch (a.type) {
    case 'forward':
      return {
        type: 'forward',
        targetGroups: a.targetGroups.map((g) => ({ ...g })),
        ...(a.stickiness.enabled
          ? { groupStickiness: { durationSeconds: a.stickiness.durationSeconds ?? 1 } }
          : {}),
      };
    case 'redirect':
      return {
        type: 'redirect',
        protocol: a.protocol,
        host: a.host,
        port: a.port,
        path: a.path,
        query: a.query,
        statusCode: a.statusCode,
      };
    case 'fixed-response':
      return {
        type: 'fixed-response',
        statusCode: a.statusCode,
        ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
        ...(a.messageBody !== undefined ? { messageBody: a.messageBody } : {}),
      };
  }
}

function healthCheckConfig(tg: TargetGroupRecord): HealthCheckConfig {
  const hc = tg.healthCheck;
  return {
    enabled: hc.enabled,
    protocol: hc.protocol,
    port: hc.port,
    path: hc.path ?? '/',
    intervalSeconds: hc.intervalSeconds,
    timeoutSeconds: hc.timeoutSeconds,
    healthyThresholdCount: hc.healthyThresholdCount,
    unhealthyThresholdCount: hc.unhealthyThresholdCount,
    matcherHttpCode: hc.matcherHttpCode ?? '200-399',
  };
}

function targetGroupConfig(
  tg: TargetGroupRecord,
  targets: readonly TargetRecord[],
  resolveInstance: InstanceResolver,
): TargetGroupConfig {
  const attr = (key: string) => targetGroupAttribute(tg, key);
  const stickinessType = attr('stickiness.type');
  const algorithm = attr('load_balancing.algorithm.type');
  return {
    arn: tg.arn,
    protocol: tg.protocol,
    targetType: tg.targetType,
    healthCheck: healthCheckConfig(tg),
    deregistrationDelaySeconds: Number(attr('deregistration_delay.timeout_seconds')),
    slowStartSeconds: Number(attr('slow_start.duration_seconds') || '0'),
    // weighted_random is served as round_robin (docs/elbv2.md).
    algorithm: algorithm === 'least_outstanding_requests' ? 'least_outstanding_requests' : 'round_robin',
    ...(attr('stickiness.enabled') === 'true'
      ? {
          stickiness:
            stickinessType === 'app_cookie'
              ? {
                  type: 'app_cookie' as const,
                  durationSeconds: Number(attr('stickiness.app_cookie.duration_seconds')),
                  cookieName: attr('stickiness.app_cookie.cookie_name'),
                }
              : stickinessType === 'source_ip'
                ? { type: 'source_ip' as const, durationSeconds: 0 }
                : {
                    type: 'lb_cookie' as const,
                    durationSeconds: Number(attr('stickiness.lb_cookie.duration_seconds')),
                  },
        }
      : {}),
    preserveClientIp: attr('preserve_client_ip.enabled') === 'true',
    ...(attr('proxy_protocol_v2.enabled') === 'true' ? { proxyProtocolV2: true } : {}),
    targets: [...targets]
      .sort((a, b) => (a.id === b.id ? a.port - b.port : a.id < b.id ? -1 : 1))
      .flatMap((t) => targetConfig(tg, t, resolveInstance)),
  };
}

function targetConfig(
  tg: TargetGroupRecord,
  t: TargetRecord,
  resolveInstance: InstanceResolver,
): TargetConfig[] {
  const address = tg.targetType === 'instance' ? resolveInstance(t.id) : t.id;
  if (address === undefined) return [];
  return [
    {
      key: `${t.id}:${t.port}`,
      address,
      port: t.port,
      ...(t.availabilityZone ? { availabilityZone: t.availabilityZone } : {}),
      registeredAt: t.registeredAt,
      ...(t.drainingSince !== undefined ? { drainingSince: t.drainingSince } : {}),
    },
  ];
}
