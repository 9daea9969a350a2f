/**
 * The live side of target groups: each target's health, its in-flight work (requests, tunnels,
 * streams) and its keep-alive pool. Target-group objects live across configs: `update` swaps the
 * config and keeps every target that stayed (health, pool, connections), so a config change never
 * disturbs what did not change.
 */
import { Agent, type AgentOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { TargetConfig, TargetGroupConfig, TargetReason, TargetState } from './config.ts';

/** What health checking found (or `initial` before it decided); the reported state may override it (draining, unused). */
export interface CheckedHealth {
  state: 'initial' | 'healthy' | 'unhealthy';
  reason?: TargetReason;
  description?: string;
}

/** Anything in flight to a target that the deregistration delay may have to cut. */
export interface Inflight {
  destroy(): void;
}

export class TargetRuntime {
  config: TargetConfig;
  readonly targetGroupArn: string;
  health: CheckedHealth = { state: 'initial', reason: 'Elb.InitialHealthChecking' };
  /** Clock ms the checks last turned it healthy (slow start ramps from here). */
  healthySince: number | undefined;
  readonly inflight = new Set<Inflight>();
  /** Keep-alive pool to this target (HTTP target groups). */
  readonly agent: Agent;
  /** Idle upstream connections of the raw HTTP/1.1 path (`fast-http.ts`), most recent last. */
  readonly idle: Socket[] = [];
  /** Smooth weighted round robin's running weight. */
  current = 0;
  drainTimer: unknown;
  drainedReported = false;

  constructor(targetGroupArn: string, config: TargetConfig) {
    this.targetGroupArn = targetGroupArn;
    this.config = config;
    // noDelay reaches net.connect (the typings omit it): a proxied answer must not wait for Nagle.
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: Number.POSITIVE_INFINITY,
      maxFreeSockets: 1024,
      scheduling: 'lifo',
      noDelay: true,
    } as AgentOptions);
  }

  get key(): string {
    return this.config.key;
  }

  get draining(): boolean {
    return this.config.drainingSince !== undefined;
  }

  /** Ends everything in flight and the pool: the deregistration delay ran out, or the target is gone. */
  closeAll(): void {
    for (const work of [...this.inflight]) work.destroy();
    this.inflight.clear();
    this.agent.destroy();
    this.closeIdle();
  }

  /** Idle pooled connections only (draining starts: in-flight work keeps its own). */
  closeIdle(): void {
    for (const list of Object.values(this.agent.freeSockets)) for (const s of list ?? []) s.destroy();
    for (const s of this.idle.splice(0)) s.destroy();
  }
}

export interface ReportedHealth {
  state: TargetState;
  reason?: TargetReason;
  description?: string;
}

const DESCRIPTIONS: Partial<Record<TargetReason, string>> = {
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.HealthCheckDisabled': 'Health checks are disabled',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
};

export function describeReason(reason: TargetReason | undefined): string | undefined {
  return reason ? DESCRIPTIONS[reason] : undefined;
}

export class TargetGroupRuntime {
  config: TargetGroupConfig;
  readonly targets = new Map<string, TargetRuntime>();
  /** Whether some listener of some LB forwards here; `unused` targets are not checked. */
  used = false;
  /** Round-robin cursor for least-outstanding ties and NLB choices. */
  cursor = 0;

  constructor(config: TargetGroupConfig) {
    this.config = config;
    this.update(config);
  }

  /** Adopts a new config; returns the targets that left (the caller closes them). */
  update(config: TargetGroupConfig): TargetRuntime[] {
    this.config = config;
    const keep = new Set<string>();
    for (const t of config.targets) {
      keep.add(t.key);
      const existing = this.targets.get(t.key);
      if (existing && existing.config.address === t.address && existing.config.port === t.port)
        existing.config = t;
      else {
        existing?.closeAll();
        this.targets.set(t.key, new TargetRuntime(config.arn, t));
      }
    }
    const gone: TargetRuntime[] = [];
    for (const [key, t] of this.targets) {
      if (!keep.has(key)) {
        this.targets.delete(key);
        gone.push(t);
      }
    }
    return gone;
  }

  /** The state DescribeTargetHealth shows: draining and unused win over what the checks found. */
  reported(target: TargetRuntime): ReportedHealth {
    const withText = (
      state: TargetState,
      reason: TargetReason | undefined,
      description?: string,
    ): ReportedHealth => {
      const out: ReportedHealth = { state };
      if (reason) out.reason = reason;
      const text = description ?? describeReason(reason);
      if (text) out.description = text;
      return out;
    };
    if (target.draining) return withText('draining', 'Target.DeregistrationInProgress');
    if (!this.used) return withText('unused', 'Target.NotInUse');
    if (!this.config.healthCheck.enabled) return withText('unavailable', 'Target.HealthCheckDisabled');
    return withText(target.health.state, target.health.reason, target.health.description);
  }

  /**
   * Targets that may get new work: not draining and healthy (or unchecked, when health checks are
   * off). When none is, every non-draining target (fail open, as ELBv2 does).
   */
  candidates(): TargetRuntime[] {
    const open: TargetRuntime[] = [];
    const healthy: TargetRuntime[] = [];
    const checksOff = !this.config.healthCheck.enabled;
    for (const t of this.targets.values()) {
      if (t.draining) continue;
      open.push(t);
      if (checksOff || t.health.state === 'healthy') healthy.push(t);
    }
    return healthy.length > 0 ? healthy : open;
  }
}
