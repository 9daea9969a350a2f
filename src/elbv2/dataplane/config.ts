/**
 * What the load-balancer data plane is told, and what it tells back. This is the whole contract
 * between the control plane (ELBv2 records in the store, ECS services registering targets) and
 * the process that owns the listener sockets: the control plane sends a complete `DataplaneConfig`
 * whenever something changes (level-triggered: the data plane converges on the last one it got),
 * and the data plane reports bound ports, target health and metrics as `DataplaneReport`s.
 *
 * Plain JSON both ways (it crosses a process boundary); no store, SDK or ECS types here.
 */

/** Everything the data plane serves. Target groups are shared: several listeners/rules may forward to one. */
export interface DataplaneConfig {
  /** Grows with every config the control plane sends; reports echo the one they were computed from. */
  generation: number;
  loadBalancers: LoadBalancerConfig[];
  targetGroups: TargetGroupConfig[];
}

export type LoadBalancerType = 'application' | 'network';

export interface LoadBalancerConfig {
  arn: string;
  type: LoadBalancerType;
  /** The DNS name ELBv2 answers (`<name>-<id>.<region>.elb.localhost`); ALBs sharing a port are told apart by Host. */
  dnsName: string;
  /** idle_timeout.timeout_seconds (ALB; NLB uses 350 s for TCP flows). */
  idleTimeoutSeconds: number;
  /** routing.http.xff_header_processing.mode etc. are not modelled; these are the ALB attributes the proxy honours. */
  http2Enabled: boolean;
  listeners: ListenerConfig[];
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';

export interface ListenerConfig {
  arn: string;
  protocol: ListenerProtocol;
  /** The listener's port as ELBv2 knows it (80, 443 ...). */
  port: number;
  /** HTTPS/TLS: the certificate and key in PEM. */
  certificate?: { certificatePem: string; privateKeyPem: string; chainPem?: string };
  /** Evaluated in ascending priority; the default actions when no rule matches. */
  rules: RuleConfig[];
  defaultActions: ActionConfig[];
}

export interface RuleConfig {
  arn: string;
  priority: number;
  /** All must match (AND); values inside one condition are OR'ed, as ELBv2 does. */
  conditions: ConditionConfig[];
  actions: ActionConfig[];
}

export type ConditionConfig =
  /** Case-insensitive; `*` and `?` wildcards. */
  | { field: 'host-header'; values: string[] }
  /** Case-sensitive on the path only (no query string); `*` and `?` wildcards. */
  | { field: 'path-pattern'; values: string[] }
  /** Header name case-insensitive; values case-insensitive with wildcards. */
  | { field: 'http-header'; headerName: string; values: string[] }
  /** Case-sensitive exact method names. */
  | { field: 'http-request-method'; values: string[] }
  /** Key optional; key and value case-insensitive with wildcards. */
  | { field: 'query-string'; values: { key?: string; value: string }[] }
  /** CIDRs (IPv4 or IPv6) of the client's address. */
  | { field: 'source-ip'; values: string[] };

export type ActionConfig =
  | {
      type: 'forward';
      targetGroups: { targetGroupArn: string; weight: number }[];
      /** Target-group stickiness of a weighted forward (AWSELB... cookie naming left to the proxy). */
      groupStickiness?: { durationSeconds: number };
    }
  | {
      type: 'redirect';
      /** ELBv2's reserved keys #{protocol}, #{host}, #{port}, #{path}, #{query} are substituted. */
      protocol: string;
      host: string;
      port: string;
      path: string;
      query: string;
      statusCode: 'HTTP_301' | 'HTTP_302';
    }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string };

export type TargetGroupProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';

export interface HealthCheckConfig {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  /** 'traffic-port' or a port number as a string, as ELBv2 stores it. */
  port: string;
  /** HTTP(S) only. */
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** HTTP codes, ELBv2's syntax: "200", "200,202", "200-299". */
  matcherHttpCode: string;
}

export interface TargetGroupConfig {
  arn: string;
  protocol: TargetGroupProtocol;
  targetType: 'instance' | 'ip';
  healthCheck: HealthCheckConfig;
  deregistrationDelaySeconds: number;
  slowStartSeconds: number;
  algorithm: 'round_robin' | 'least_outstanding_requests';
  stickiness?: {
    type: 'lb_cookie' | 'app_cookie' | 'source_ip';
    durationSeconds: number;
    cookieName?: string;
  };
  /** NLB: preserve the client's address toward the target where possible (client_ip_preservation). */
  preserveClientIp: boolean;
  /**
   * NLB: proxy_protocol_v2.enabled. TCP/TLS connections to targets start with a PROXY protocol v2
   * header carrying the client's address and port (user space cannot keep the client's source
   * address on the packets themselves). Optional: absent means off.
   */
  proxyProtocolV2?: boolean;
  targets: TargetConfig[];
}

export interface TargetConfig {
  /** The target as ELBv2 names it: an instance id or an IP, with its port: `i-0abc:32768`, `10.0.1.5:80`. */
  key: string;
  /** Where the data plane connects (instance targets resolved by the control plane to the host's address). */
  address: string;
  port: number;
  /** The availability zone, for DescribeTargetHealth and cross-zone decisions (informational). */
  availabilityZone?: string;
  /** Epoch ms the target was registered: slow start ramps from here. */
  registeredAt: number;
  /**
   * Epoch ms deregistration began; present while draining. The data plane sends no new requests or
   * connections to it and lets in-flight ones finish for the deregistration delay after this.
   */
  drainingSince?: number;
}

/** ELBv2's target states and reason codes, as DescribeTargetHealth answers them. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
export type TargetReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.NotRegistered'
  | 'Target.NotInUse'
  | 'Target.DeregistrationInProgress'
  | 'Target.InvalidState'
  | 'Target.IpUnusable'
  | 'Target.HealthCheckDisabled'
  | 'Elb.InternalError';

export interface TargetHealth {
  targetGroupArn: string;
  key: string;
  state: TargetState;
  reason?: TargetReason;
  description?: string;
}

/** Counters since the previous metrics report (sums) and gauges at its time, per target group and per LB. */
export interface MetricsSample {
  /** Epoch ms the sample covers up to; the previous report's `at` is its start. */
  at: number;
  loadBalancers: {
    arn: string;
    requestCount: number;
    activeConnectionCount: number;
    newConnectionCount: number;
    httpCodeElb4xx: number;
    httpCodeElb5xx: number;
    processedBytes: number;
  }[];
  targetGroups: {
    arn: string;
    /** The load balancer the traffic came through (CloudWatch's LoadBalancer dimension). */
    loadBalancerArn: string;
    requestCount: number;
    httpCodeTarget2xx: number;
    httpCodeTarget3xx: number;
    httpCodeTarget4xx: number;
    httpCodeTarget5xx: number;
    /** Sum and count of target response times in seconds (CloudWatch's Average = sum / count). */
    targetResponseTimeSum: number;
    targetResponseTimeCount: number;
    healthyHostCount: number;
    unhealthyHostCount: number;
  }[];
}

export type DataplaneReport =
  /** Where a listener's socket is: `hostPort` is the port clients use on `hostAddress` (may differ from `port`). */
  | { type: 'listening'; listenerArn: string; hostAddress: string; hostPort: number }
  /** A listener that cannot listen, with a reason a user can act on. */
  | { type: 'listen-failed'; listenerArn: string; message: string }
  /** Health of every target of every target group whose health changed (full list for that group). */
  | { type: 'health'; generation: number; targets: TargetHealth[] }
  /** A draining target has no connections left or its delay ran out: the control plane may forget it. */
  | { type: 'drained'; targetGroupArn: string; key: string }
  | { type: 'metrics'; sample: MetricsSample };

/** Control plane -> data plane. */
export type DataplaneCommand = { type: 'config'; config: DataplaneConfig } | { type: 'shutdown' };
