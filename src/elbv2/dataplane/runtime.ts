/** What the listeners share with the data plane: the live target groups, the clock and randomness, metrics. */
import type { Clock, Rng } from '../../core/clock.ts';
import type { Timers } from '../../core/timers.ts';
import type { ListenerConfig, LoadBalancerConfig } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { CompiledRules } from './rules.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';
import type { TraceIds } from './trace-id.ts';

export interface Runtime {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly rng: Rng;
  readonly groups: Map<string, TargetGroupRuntime>;
  readonly metrics: Metrics;
  readonly traceIds: TraceIds;
  /** NLB flows: idle timeouts (ELBv2: 350 s TCP, 120 s UDP). */
  readonly tcpIdleTimeoutMs: number;
  readonly udpIdleTimeoutMs: number;
  /** Some work of a draining target ended: it may now be drained. */
  released(target: TargetRuntime): void;
}

/** One listener of one load balancer, as served now; replaced (not mutated) by a new config. */
export interface ListenerEntry {
  lb: LoadBalancerConfig;
  listener: ListenerConfig;
  rules: CompiledRules;
  /** The port clients reach it on (the listener's port, or the free one taken instead). */
  hostPort: number;
}
