/**
 * Health checks as ELBv2 runs them, once per target of every target group in use: a probe every
 * `intervalSeconds`, each given `timeoutSeconds`; `healthyThresholdCount` successes in a row make a
 * target healthy, `unhealthyThresholdCount` failures in a row unhealthy. A new target is `initial`
 * (Elb.InitialHealthChecking) until one threshold decides. Time comes from the injected clock and
 * timers, so tests can drive it.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Clock } from '../../core/clock.ts';
import type { Timers } from '../../core/timers.ts';
import type { HealthCheckConfig } from './config.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';

export type ProbeResult =
  | { ok: true }
  | { ok: false; reason: 'Target.ResponseCodeMismatch'; code: number }
  | { ok: false; reason: 'Target.Timeout' }
  | { ok: false; reason: 'Target.FailedHealthChecks'; error: string };

/** ELBv2's matcher syntax: "200", "200,202", "200-299" (and mixes: "200,300-399"). */
export function matchesHttpCode(matcher: string, code: number): boolean {
  for (const part of matcher.split(',')) {
    const [lo, hi] = part.trim().split('-');
    if (hi === undefined ? code === Number(lo) : code >= Number(lo) && code <= Number(hi)) return true;
  }
  return false;
}

/** The port a probe goes to: `traffic-port` is the target's own port. */
export function probePort(check: HealthCheckConfig, target: TargetRuntime): number {
  return check.port === 'traffic-port' || check.port === '' ? target.config.port : Number(check.port);
}

/** One probe; the timeout is the caller's (injected timers), which calls `cancel`. */
function probe(
  check: HealthCheckConfig,
  target: TargetRuntime,
): { result: Promise<ProbeResult>; cancel(): void } {
  const host = target.config.address;
  const port = probePort(check, target);
  let cancel = () => {};
  const result = new Promise<ProbeResult>((resolve) => {
    if (check.protocol === 'TCP') {
      const socket = connect({ host, port });
      cancel = () => socket.destroy();
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true });
      });
      socket.once('error', (err) =>
        resolve({ ok: false, reason: 'Target.FailedHealthChecks', error: err.message }),
      );
      return;
    }
    const send = check.protocol === 'HTTPS' ? httpsRequest : httpRequest;
    const req = send(
      {
        host,
        port,
        path: check.path || '/',
        method: 'GET',
        agent: false,
        rejectUnauthorized: false,
        headers: { host: `${host}:${port}`, 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' },
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          matchesHttpCode(check.matcherHttpCode || '200', code)
            ? { ok: true }
            : { ok: false, reason: 'Target.ResponseCodeMismatch', code },
        );
        req.destroy();
      },
    );
    cancel = () => req.destroy();
    req.on('error', (err) => resolve({ ok: false, reason: 'Target.FailedHealthChecks', error: err.message }));
    req.end();
  });
  return { result, cancel };
}

function failureText(result: ProbeResult): string {
  if (result.ok) return '';
  if (result.reason === 'Target.ResponseCodeMismatch')
    return `Health checks failed with these codes: [${result.code}]`;
  if (result.reason === 'Target.Timeout') return 'Request timed out';
  return 'Health checks failed';
}

interface Loop {
  timer: unknown;
  cancelProbe?: () => void;
  successes: number;
  failures: number;
  /** The check config the loop runs with; a change restarts the loop (keeping the state). */
  signature: string;
  stopped: boolean;
}

export interface HealthCheckerOptions {
  clock: Clock;
  timers: Timers;
  /** A target's checked health changed (the caller reports its group). */
  onChange(group: TargetGroupRuntime, target: TargetRuntime): void;
}

/** Runs the probe loops; `sync` after every config makes the loops match the groups in use. */
export class HealthChecker {
  readonly #options: HealthCheckerOptions;
  readonly #loops = new Map<TargetRuntime, Loop>();

  constructor(options: HealthCheckerOptions) {
    this.#options = options;
  }

  /** Starts loops for checked targets of used groups, stops the others (their state goes back to initial). */
  sync(groups: Iterable<TargetGroupRuntime>): void {
    const wanted = new Set<TargetRuntime>();
    for (const group of groups) {
      const check = group.config.healthCheck;
      if (!group.used || !check.enabled) continue;
      const signature = JSON.stringify(check);
      for (const target of group.targets.values()) {
        if (target.draining) continue;
        wanted.add(target);
        const loop = this.#loops.get(target);
        if (loop && loop.signature === signature) continue;
        if (loop) this.#stop(target, loop);
        this.#start(group, target, signature);
      }
    }
    for (const [target, loop] of this.#loops) {
      if (!wanted.has(target)) {
        this.#stop(target, loop);
        if (target.health.state !== 'initial')
          target.health = { state: 'initial', reason: 'Elb.InitialHealthChecking' };
        target.healthySince = undefined;
      }
    }
  }

  close(): void {
    for (const [target, loop] of this.#loops) this.#stop(target, loop);
  }

  #stop(target: TargetRuntime, loop: Loop): void {
    loop.stopped = true;
    this.#options.timers.clearTimeout(loop.timer);
    loop.cancelProbe?.();
    this.#loops.delete(target);
  }

  #start(group: TargetGroupRuntime, target: TargetRuntime, signature: string): void {
    const loop: Loop = { timer: undefined, successes: 0, failures: 0, signature, stopped: false };
    this.#loops.set(target, loop);
    // The first probe goes out at once: a new target should not wait a whole interval to start counting.
    loop.timer = this.#options.timers.setTimeout(() => this.#run(group, target, loop), 0);
  }

  #run(group: TargetGroupRuntime, target: TargetRuntime, loop: Loop): void {
    if (loop.stopped) return;
    const check = group.config.healthCheck;
    const started = this.#options.clock.now();
    const { result, cancel } = probe(check, target);
    let settled = false;
    const finish = (outcome: ProbeResult) => {
      if (settled || loop.stopped) return;
      settled = true;
      this.#options.timers.clearTimeout(timeout);
      loop.cancelProbe = undefined;
      this.#record(group, target, loop, outcome);
      // The next probe starts an interval after this one started (ELBv2 sends one per interval).
      const elapsed = this.#options.clock.now() - started;
      loop.timer = this.#options.timers.setTimeout(
        () => this.#run(group, target, loop),
        Math.max(0, check.intervalSeconds * 1000 - elapsed),
      );
    };
    const timeout = this.#options.timers.setTimeout(() => {
      cancel();
      finish({ ok: false, reason: 'Target.Timeout' });
    }, check.timeoutSeconds * 1000);
    loop.cancelProbe = cancel;
    result.then(finish);
  }

  #record(group: TargetGroupRuntime, target: TargetRuntime, loop: Loop, outcome: ProbeResult): void {
    const check = group.config.healthCheck;
    const before = JSON.stringify(target.health);
    if (outcome.ok) {
      loop.successes++;
      loop.failures = 0;
      if (target.health.state !== 'healthy' && loop.successes >= check.healthyThresholdCount) {
        target.health = { state: 'healthy' };
        target.healthySince = this.#options.clock.now();
      }
    } else {
      loop.failures++;
      loop.successes = 0;
      if (target.health.state === 'unhealthy' || loop.failures >= check.unhealthyThresholdCount) {
        // An unhealthy target shows its latest failure; a 5xx from a target becomes ResponseCodeMismatch, a refused connection FailedHealthChecks.
        target.health = { state: 'unhealthy', reason: outcome.reason, description: failureText(outcome) };
        target.healthySince = undefined;
      }
    }
    if (JSON.stringify(target.health) !== before) this.#options.onChange(group, target);
  }
}
