/**
 * A target group's health check: ELBv2's defaults per target group protocol, and the checks of
 * CreateTargetGroup's and ModifyTargetGroup's HealthCheck* members.
 *
 * Defaults, as ELBv2 answers them: HTTP and HTTPS groups (ALB) check with their own protocol on
 * `/`, every 30 s, timeout 5 s, 5 healthy / 2 unhealthy, matcher 200. TCP, TLS, UDP and TCP_UDP
 * groups (NLB) check with TCP every 30 s, timeout 10 s, 5 / 2; an NLB group checked with HTTP
 * gets `/`, matcher 200-399 and a 6 s timeout (HTTPS 10 s).
 */
import type { Matcher } from '@aws-sdk/client-elastic-load-balancing-v2';
import { isHttpProtocol } from './model/attributes.ts';
import { invalidConfiguration, validation } from './model/errors.ts';
import type { HealthCheckRecord, TargetGroupProtocol } from './model/records.ts';

export interface HealthCheckInput {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: Matcher;
}

const RANGES = {
  interval: [5, 300],
  timeout: [2, 120],
  threshold: [2, 10],
} as const;
const MAX_PATH = 1024;

function defaultTimeout(tgProtocol: TargetGroupProtocol, hcProtocol: HealthCheckRecord['protocol']): number {
  if (isHttpProtocol(tgProtocol)) return 5;
  return hcProtocol === 'HTTP' ? 6 : 10;
}

const defaultMatcher = (tgProtocol: TargetGroupProtocol) => (isHttpProtocol(tgProtocol) ? '200' : '200-399');

function inRange(name: string, value: number, [min, max]: readonly [number, number]): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(`${name} '${value}' must be between ${min} and ${max}`);
  }
  return value;
}

/**
 * ELBv2's matcher syntax: codes, commas and ranges ("200", "200,202", "200-299"), each code within
 * 200..499 for ALB groups and 200..599 for NLB groups.
 */
export function checkMatcher(code: string, tgProtocol: TargetGroupProtocol): string {
  const max = isHttpProtocol(tgProtocol) ? 499 : 599;
  const ok = (n: string) => /^\d{3}$/.test(n) && Number(n) >= 200 && Number(n) <= max;
  const valid = code.split(',').every((part) => {
    const range = part.split('-');
    if (range.length === 1) return ok(range[0]);
    return range.length === 2 && ok(range[0]) && ok(range[1]) && Number(range[0]) <= Number(range[1]);
  });
  if (!valid) {
    throw validation(
      `Health check matcher HTTP code '${code}' must be codes between 200 and ${max}, as "200", "200,202" or "200-299"`,
    );
  }
  return code;
}

/**
 * The health check of a group of `tgProtocol` after `input`, starting from `base` (ModifyTargetGroup)
 * or the protocol's defaults (CreateTargetGroup).
 */
export function healthCheckFrom(
  tgProtocol: TargetGroupProtocol,
  input: HealthCheckInput,
  base?: HealthCheckRecord,
): HealthCheckRecord {
  const http = isHttpProtocol(tgProtocol);
  const protocol = input.HealthCheckProtocol ?? base?.protocol ?? (http ? tgProtocol : 'TCP');
  if (protocol !== 'HTTP' && protocol !== 'HTTPS' && protocol !== 'TCP') {
    throw validation(`Health check protocol '${protocol}' must be one of 'HTTP, HTTPS, TCP'`);
  }
  if (http && protocol === 'TCP') {
    throw validation(
      `Health check protocol 'TCP' is not supported for target groups with the '${tgProtocol}' protocol`,
    );
  }
  if (input.HealthCheckEnabled === false) {
    throw validation('Health checks cannot be disabled for target groups with target type instance or ip');
  }
  const port = input.HealthCheckPort ?? base?.port ?? 'traffic-port';
  if (port !== 'traffic-port' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw validation(`Health check port '${port}' must be 'traffic-port' or between 1 and 65535`);
  }
  const httpCheck = protocol !== 'TCP';
  if (!httpCheck && input.HealthCheckPath !== undefined) {
    throw validation('A health check path can only be specified for HTTP and HTTPS health checks');
  }
  if (!httpCheck && input.Matcher !== undefined) {
    throw validation('A health check matcher can only be specified for HTTP and HTTPS health checks');
  }
  if (input.Matcher?.GrpcCode !== undefined)
    throw validation('Longshore does not support gRPC health check matchers');
  const sameKind = base && (base.protocol === 'TCP') === !httpCheck;
  const path = httpCheck ? (input.HealthCheckPath ?? (sameKind ? base?.path : undefined) ?? '/') : undefined;
  if (path !== undefined && (!path.startsWith('/') || path.length > MAX_PATH)) {
    throw validation(`Health check path '${path}' must start with '/' and be at most ${MAX_PATH} characters`);
  }
  const matcher = httpCheck
    ? checkMatcher(
        input.Matcher?.HttpCode ??
          (sameKind ? base?.matcherHttpCode : undefined) ??
          defaultMatcher(tgProtocol),
        tgProtocol,
      )
    : undefined;
  const interval = inRange(
    'Health check interval',
    input.HealthCheckIntervalSeconds ?? base?.intervalSeconds ?? 30,
    RANGES.interval,
  );
  const timeout = inRange(
    'Health check timeout',
    input.HealthCheckTimeoutSeconds ??
      (base && base.protocol === protocol ? base.timeoutSeconds : defaultTimeout(tgProtocol, protocol)),
    RANGES.timeout,
  );
  if (timeout >= interval) {
    throw invalidConfiguration(
      `Health check interval '${interval}' must be greater than the timeout '${timeout}'`,
    );
  }
  return {
    enabled: true,
    protocol,
    port,
    ...(path !== undefined ? { path } : {}),
    intervalSeconds: interval,
    timeoutSeconds: timeout,
    healthyThresholdCount: inRange(
      'Healthy threshold count',
      input.HealthyThresholdCount ?? base?.healthyThresholdCount ?? 5,
      RANGES.threshold,
    ),
    unhealthyThresholdCount: inRange(
      'Unhealthy threshold count',
      input.UnhealthyThresholdCount ?? base?.unhealthyThresholdCount ?? 2,
      RANGES.threshold,
    ),
    ...(matcher !== undefined ? { matcherHttpCode: matcher } : {}),
  };
}
