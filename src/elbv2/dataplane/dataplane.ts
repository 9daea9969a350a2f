/**
 * The data plane in one process: `apply` converges on a config (listeners, target groups, health
 * checks, draining), reports go to `on('report')`. Configs are applied one at a time; when several
 * arrive during an apply, only the newest is applied next (level-triggered).
 */
import { EventEmitter } from 'node:events';
import type { Clock, Rng } from '../../core/clock.ts';
import { realTimers, systemClock, systemRng } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { DataplaneConfig, DataplaneReport, TargetHealth } from './config.ts';
import { HealthChecker } from './health.ts';
import { Listeners } from './listeners.ts';
import { absorbSample, Metrics } from './metrics.ts';
import { compileRules, forwardedTargetGroups } from './rules.ts';
import type { Runtime } from './runtime.ts';
import { TargetGroupRuntime, type TargetRuntime } from './targets.ts';
import { TraceIds } from './trace-id.ts';
import { type HealthUpdate, WorkerPool, workerConfig } from './workers.ts';

export interface DataplaneOptions {
  /** Where listeners bind: loopback by default; the control plane may pass 0.0.0.0. */
  bindAddress?: string;
  clock?: Clock;
  timers?: Timers;
  rng?: Rng;
  /** How often `metrics` is reported (CloudWatch's 60 s by default). */
  metricsIntervalMs?: number;
  /** NLB idle timeouts: 350 s for TCP flows, 120 s for UDP, as ELBv2's. */
  tcpIdleTimeoutMs?: number;
  udpIdleTimeoutMs?: number;
  /**
   * Extra proxy processes for HTTP listeners (SO_REUSEPORT on the same ports); 0 (the default)
   * serves everything in this process. Health checks, draining and reports stay here.
   */
  workers?: number;
  /** Internal: `worker` runs no health checks (the primary sends health) and never falls back to a free port. */
  role?: 'primary' | 'worker';
}

export interface Dataplane {
  /** Converges on `config`; resolves once it (or a newer one) is in force. */
  apply(config: DataplaneConfig): Promise<void>;
  close(): Promise<void>;
  on(event: 'report', listener: (report: DataplaneReport) => void): void;
  off(event: 'report', listener: (report: DataplaneReport) => void): void;
  /** The host port a listener got (undefined when it is not listening). */
  hostPort(listenerArn: string): number | undefined;
  /** DescribeTargetHealth's view of one target group now. */
  targetHealth(targetGroupArn: string): TargetHealth[];
  /** The proxy worker processes' pids (empty without workers). */
  workerPids(): number[];
  /** Workers: health as the primary's checks found it (kept for targets that appear later). */
  setHealth(updates: HealthUpdate[]): void;
}

export function startDataplane(options: DataplaneOptions = {}): Dataplane {
  return new DataplaneImpl(options);
}

class DataplaneImpl implements Dataplane {
  readonly #events = new EventEmitter();
  readonly #rt: Runtime;
  readonly #listeners: Listeners;
  readonly #health: HealthChecker;
  readonly #metricsIntervalMs: number;
  #config: DataplaneConfig = { generation: 0, loadBalancers: [], targetGroups: [] };
  #metricsTimer: unknown;
  /** Last health list reported per group (JSON), to report only changes. */
  readonly #reportedHealth = new Map<string, string>();
  #healthDirty = false;
  #closed = false;
  // Serialized applies: the running one, and the newest config waiting for it.
  #running: Promise<void> | undefined;
  #next: DataplaneConfig | undefined;
  #nextWaiters: (() => void)[] = [];
  readonly #worker: boolean;
  readonly #pool: WorkerPool | undefined;
  /** Primary: which workers said a draining target (`tg key`) has nothing left in flight. */
  readonly #workersDrained = new Map<string, Set<number>>();
  /** Primary: each worker's last active-connection gauges. */
  readonly #workerGauges = new Map<number, Map<string, number>>();
  /** Worker: health from the primary, by `tg key`. */
  readonly #external = new Map<string, HealthUpdate>();

  constructor(options: DataplaneOptions) {
    const clock = options.clock ?? systemClock;
    const timers = options.timers ?? realTimers;
    const rng = options.rng ?? systemRng;
    this.#rt = {
      clock,
      timers,
      rng,
      groups: new Map(),
      metrics: new Metrics(),
      traceIds: new TraceIds(clock, rng),
      tcpIdleTimeoutMs: options.tcpIdleTimeoutMs ?? 350_000,
      udpIdleTimeoutMs: options.udpIdleTimeoutMs ?? 120_000,
      released: (target) => this.#maybeDrained(target),
    };
    this.#worker = options.role === 'worker';
    const workers = this.#worker ? 0 : (options.workers ?? 0);
    const bindAddress = options.bindAddress ?? '127.0.0.1';
    this.#listeners = new Listeners({
      rt: this.#rt,
      bindAddress,
      report: (r) => this.#report(r),
      reusePort: this.#worker || workers > 0,
      strictPorts: this.#worker,
    });
    this.#health = new HealthChecker({
      clock,
      timers,
      onChange: (group, target) => {
        this.#markHealthDirty();
        this.#pool?.send({ type: 'health', updates: [healthUpdate(group.config.arn, target)] });
      },
    });
    if (workers > 0)
      this.#pool = new WorkerPool({
        count: workers,
        bindAddress,
        onDrained: (index, tgArn, key) => {
          const id = `${tgArn} ${key}`;
          let set = this.#workersDrained.get(id);
          if (!set) {
            set = new Set();
            this.#workersDrained.set(id, set);
          }
          set.add(index);
          const target = this.#rt.groups.get(tgArn)?.targets.get(key);
          if (target) this.#maybeDrained(target);
        },
        onMetrics: (index, sample) => {
          absorbSample(this.#rt.metrics, sample);
          this.#workerGauges.set(
            index,
            new Map(sample.loadBalancers.map((lb) => [lb.arn, lb.activeConnectionCount])),
          );
        },
      });
    this.#metricsIntervalMs = options.metricsIntervalMs ?? 60_000;
    this.#scheduleMetrics();
  }

  on(event: 'report', listener: (report: DataplaneReport) => void): void {
    this.#events.on(event, listener);
  }

  off(event: 'report', listener: (report: DataplaneReport) => void): void {
    this.#events.off(event, listener);
  }

  hostPort(listenerArn: string): number | undefined {
    return this.#listeners.hostPort(listenerArn);
  }

  targetHealth(targetGroupArn: string): TargetHealth[] {
    const group = this.#rt.groups.get(targetGroupArn);
    if (!group) return [];
    return [...group.targets.values()].map((t) => ({ targetGroupArn, key: t.key, ...group.reported(t) }));
  }

  workerPids(): number[] {
    return this.#pool?.pids() ?? [];
  }

  setHealth(updates: HealthUpdate[]): void {
    for (const u of updates) {
      this.#external.set(`${u.targetGroupArn} ${u.key}`, u);
      const target = this.#rt.groups.get(u.targetGroupArn)?.targets.get(u.key);
      if (target) applyHealth(target, u);
    }
  }

  apply(config: DataplaneConfig): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#next = config;
    const waiter = new Promise<void>((resolve) => this.#nextWaiters.push(resolve));
    if (!this.#running) this.#running = this.#drainQueue();
    return waiter;
  }

  async #drainQueue(): Promise<void> {
    while (this.#next && !this.#closed) {
      const config = this.#next;
      const waiters = this.#nextWaiters;
      this.#next = undefined;
      this.#nextWaiters = [];
      try {
        await this.#applyNow(config);
      } finally {
        for (const w of waiters) w();
      }
    }
    for (const w of this.#nextWaiters.splice(0)) w();
    this.#running = undefined;
  }

  async #applyNow(config: DataplaneConfig): Promise<void> {
    this.#config = config;
    const { groups } = this.#rt;
    // 1. Target groups: kept ones adopt the new config; targets that left are cut.
    const seen = new Set<string>();
    for (const tg of config.targetGroups) {
      seen.add(tg.arn);
      const existing = groups.get(tg.arn);
      if (existing) for (const gone of existing.update(tg)) this.#forget(gone);
      else groups.set(tg.arn, new TargetGroupRuntime(tg));
    }
    for (const [arn, group] of groups) {
      if (seen.has(arn)) continue;
      for (const t of group.targets.values()) this.#forget(t);
      groups.delete(arn);
      this.#reportedHealth.delete(arn);
    }
    // 2. Which groups some listener forwards to (the others are `unused` and not checked).
    const used = new Set<string>();
    for (const lb of config.loadBalancers)
      for (const l of lb.listeners) for (const arn of forwardedTargetGroups(l)) used.add(arn);
    for (const [arn, group] of groups) group.used = used.has(arn);
    // 3. Draining timers, health loops, sockets.
    for (const group of groups.values()) for (const t of group.targets.values()) this.#syncDraining(group, t);
    if (this.#worker) {
      for (const group of groups.values())
        for (const t of group.targets.values()) {
          const u = this.#external.get(`${group.config.arn} ${t.key}`);
          if (u) applyHealth(t, u);
        }
    } else this.#health.sync(groups.values());
    await this.#listeners.apply(config.loadBalancers, (lb, listener) => ({
      lb,
      listener,
      rules: compileRules(listener),
    }));
    this.#markHealthDirty();
    if (this.#pool) {
      const health: HealthUpdate[] = [];
      for (const group of groups.values())
        for (const t of group.targets.values()) health.push(healthUpdate(group.config.arn, t));
      this.#pool.send({
        type: 'config',
        config: workerConfig(config, (arn) => this.#listeners.hostPort(arn)),
        health,
      });
    }
  }

  /** A target no longer in the config: everything in flight to it ends now. */
  #forget(target: TargetRuntime): void {
    this.#rt.timers.clearTimeout(target.drainTimer);
    target.closeAll();
  }

  #syncDraining(group: TargetGroupRuntime, target: TargetRuntime): void {
    const since = target.config.drainingSince;
    if (since === undefined) {
      // Registered again: it takes traffic again and may drain again later.
      this.#rt.timers.clearTimeout(target.drainTimer);
      target.drainTimer = undefined;
      target.drainedReported = false;
      this.#workersDrained.delete(`${target.targetGroupArn} ${target.key}`);
      return;
    }
    if (target.drainTimer !== undefined || target.drainedReported) return;
    // Idle pooled connections go at once; in-flight requests finish on theirs.
    target.closeIdle();
    const left = since + group.config.deregistrationDelaySeconds * 1000 - this.#rt.clock.now();
    target.drainTimer = this.#rt.timers.setTimeout(
      () => {
        target.drainTimer = undefined;
        target.closeAll();
        this.#drained(target);
      },
      Math.max(0, left),
    );
    this.#maybeDrained(target);
  }

  #maybeDrained(target: TargetRuntime): void {
    if (!target.draining || target.drainedReported || target.inflight.size > 0) return;
    if (this.#rt.groups.get(target.targetGroupArn)?.targets.get(target.key) !== target) return;
    // With workers, each must also have nothing left in flight to it.
    if (
      this.#pool &&
      (this.#workersDrained.get(`${target.targetGroupArn} ${target.key}`)?.size ?? 0) < this.#pool.size
    )
      return;
    this.#rt.timers.clearTimeout(target.drainTimer);
    target.drainTimer = undefined;
    target.closeAll();
    this.#drained(target);
  }

  #drained(target: TargetRuntime): void {
    if (target.drainedReported) return;
    target.drainedReported = true;
    this.#report({ type: 'drained', targetGroupArn: target.targetGroupArn, key: target.key });
  }

  #markHealthDirty(): void {
    if (this.#healthDirty) return;
    this.#healthDirty = true;
    queueMicrotask(() => {
      this.#healthDirty = false;
      this.#flushHealth();
    });
  }

  /** One `health` report with the full list of every group whose list changed. */
  #flushHealth(): void {
    if (this.#closed) return;
    const changed: TargetHealth[] = [];
    for (const arn of this.#rt.groups.keys()) {
      const list = this.targetHealth(arn);
      const json = JSON.stringify(list);
      if (this.#reportedHealth.get(arn) === json) continue;
      this.#reportedHealth.set(arn, json);
      changed.push(...list);
    }
    if (changed.length > 0)
      this.#report({ type: 'health', generation: this.#config.generation, targets: changed });
  }

  #scheduleMetrics(): void {
    this.#metricsTimer = this.#rt.timers.setTimeout(() => {
      if (this.#closed) return;
      this.#report({ type: 'metrics', sample: this.#sample() });
      this.#scheduleMetrics();
    }, this.#metricsIntervalMs);
  }

  #sample() {
    const at = this.#rt.clock.now();
    const pairs: [string, string][] = [];
    for (const lb of this.#config.loadBalancers) {
      const tgs = new Set<string>();
      for (const l of lb.listeners) for (const arn of forwardedTargetGroups(l)) tgs.add(arn);
      for (const tg of tgs) pairs.push([tg, lb.arn]);
    }
    const sample = this.#rt.metrics.sample(
      at,
      this.#config.loadBalancers.map((lb) => lb.arn),
      pairs,
      this.#rt.groups,
    );
    for (const gauges of this.#workerGauges.values())
      for (const lb of sample.loadBalancers) lb.activeConnectionCount += gauges.get(lb.arn) ?? 0;
    return sample;
  }

  #report(report: DataplaneReport): void {
    if (this.#closed) return;
    this.#events.emit('report', report);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#running;
    this.#rt.timers.clearTimeout(this.#metricsTimer);
    this.#health.close();
    this.#pool?.close();
    this.#listeners.close();
    for (const group of this.#rt.groups.values()) for (const t of group.targets.values()) this.#forget(t);
    this.#rt.groups.clear();
  }
}

function healthUpdate(targetGroupArn: string, target: TargetRuntime): HealthUpdate {
  const u: HealthUpdate = { targetGroupArn, key: target.key, health: target.health };
  if (target.healthySince !== undefined) u.healthySince = target.healthySince;
  return u;
}

function applyHealth(target: TargetRuntime, u: HealthUpdate): void {
  target.health = u.health;
  target.healthySince = u.healthySince;
}
