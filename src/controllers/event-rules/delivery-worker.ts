/**
 * Invokes targets in batches: a KeyedController keyed by target (`<bus>/<rule>/<target id>/`, the
 * prefix of its delivery records), so one target's deliveries are worked on by one pass at a time
 * and up to DELIVERY_WORKERS targets at once. A pass:
 *
 *   1. lists the target's delivery records (oldest first) and takes up to DELIVERY_BATCH that are
 *      due; none due: requeue at the earliest `nextAttemptAt`;
 *   2. invokes them by the kind of the target's ARN: every delivery to one log group in one batched
 *      write (`invoke-logs.ts`); event-bus targets forward the events and remove their records in
 *      one transaction (forwarded exactly once); ECS RunTask and API destinations one invocation
 *      each, TARGET_CONCURRENCY at a time, INVOKE_BATCH a pass; anything else fails for good;
 *   3. settles the whole batch in ONE transaction: delivered records are removed, failed ones are
 *      rewritten for their retry (RetryPolicy, backoff) or removed when the policy gives up (the
 *      failure counted, FailedInvocations, and logged with its reason);
 *   4. requeues at once when more were due than one batch takes.
 *
 * At least once: a crash between a target's write (or HTTP request) and the settling transaction
 * invokes the target again after the restart with the same event `id` (a log group gets the event
 * a second time in the same stream, named after the id); consumers deduplicate by that id.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Timers } from '../../core/timers.ts';
import { findBus } from '../../events/model/buses.ts';
import {
  type DeliveryChange,
  type DeliveryRecord,
  deliveryKey,
  forwardEvent,
  settleDeliveries,
  targetPrefixOfKey,
} from '../../events/model/deliveries.ts';
import { busName, eventTime } from '../../events/model/publish-events.ts';
import { nextAttemptAt, retryLimits } from '../../events/model/retry-policy.ts';
import { targetInput } from '../../events/model/target-input.ts';
import { Kind, type Store, type Stored } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { type EventMetrics, EventMetric } from './event-metrics.ts';
import { invokeApiDestination } from './invoke-api-destination.ts';
import { invokeEcs } from './invoke-ecs.ts';
import { invokeLogsBatch, type LogDelivery, logGroupOfArn } from './invoke-logs.ts';
import { OAuthTokens } from './oauth-tokens.ts';
import { RateLimiter } from './rate-limiter.ts';
import { type EventTargetPorts, failed, type InvokeOutcome } from './target-ports.ts';

export const DELIVERY_RESYNC_MS = 60_000;
/** Targets worked on at once (HTTP targets wait on the network). */
export const DELIVERY_WORKERS = 32;
/** Due deliveries of one target taken by one pass, invoked and settled together. */
export const DELIVERY_BATCH = 1_000;
/** Invocations of one ECS or API destination target under way at once within a batch. */
export const TARGET_CONCURRENCY = 16;
/**
 * ECS and API destination deliveries invoked per pass (each waits on RunTask or the network, up to
 * 5 s): a slow endpoint holds a small batch's settling, not a thousand.
 */
export const INVOKE_BATCH = 64;

export interface DeliveryWorkerOptions {
  store: Store;
  clock: Clock;
  partition: Partition;
  ports: EventTargetPorts;
  metrics: EventMetrics;
  timers: Timers;
  /** First retry delay (doubling); tests shorten it. */
  backoffBaseMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

type Due = Stored<DeliveryRecord>;

export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions;
  readonly #keys: KeyedController;
  readonly #limiter = new RateLimiter();
  readonly #tokens = new OAuthTokens();

  constructor(options: DeliveryWorkerOptions) {
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'EventBridge delivery',
      keyLabel: 'target',
      reconcile: (prefix) => this.#deliver(prefix),
      enqueueAll: async (add) => {
        for (const s of await options.store.list<DeliveryRecord>(Kind.EventDelivery)) {
          add(targetPrefixOfKey(await this.#rekeyed(s)));
        }
      },
      resyncMs: DELIVERY_RESYNC_MS,
      workers: DELIVERY_WORKERS,
      timers: options.timers,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** A delivery record was written: its target gets a pass. */
  add(deliveryKey: string): void {
    this.#keys.add(targetPrefixOfKey(deliveryKey));
  }

  resync(): Promise<void> {
    return this.#keys.resync();
  }

  idle(): Promise<void> {
    return this.#keys.idle();
  }

  stop(): Promise<void> {
    return this.#keys.stop();
  }

  /** A record under the key form before targets grouped them (`<ms>-<event id>/<bus>/...`) moves to its target's prefix. */
  async #rekeyed(s: Due): Promise<string> {
    if (!/^\d{15}-/.test(s.key)) return s.key;
    const d = s.value;
    const key = deliveryKey(d.acceptedAt, d.event.id, d.bus, d.ruleName, d.target.Id ?? '');
    await this.#o.store.transact(async (tx) => {
      await tx.put(Kind.EventDelivery, key, d);
      await tx.remove(Kind.EventDelivery, s.key, s.version);
    });
    return key;
  }

  async #deliver(prefix: string): Promise<{ requeueAfterMs?: number }> {
    const { store, clock } = this.#o;
    const all = await store.list<DeliveryRecord>(Kind.EventDelivery, { prefix });
    const now = clock.now();
    const due: Due[] = [];
    let later = Number.POSITIVE_INFINITY;
    let more = false;
    for (const s of all) {
      if (s.value.nextAttemptAt > now) later = Math.min(later, s.value.nextAttemptAt);
      else if (due.length < DELIVERY_BATCH) due.push(s);
      else more = true;
    }
    if (due.length === 0) return Number.isFinite(later) ? { requeueAfterMs: later - now } : {};

    const outcomes = new Map<Due, InvokeOutcome>();
    const rest = await this.#forward(due, now);
    const logs = new Map<string, Due[]>();
    const single: Due[] = [];
    for (const s of rest) {
      const arn = s.value.target.Arn ?? '';
      const group = arn.split(':')[2] === 'logs' && this.#local(arn) ? logGroupOfArn(arn) : undefined;
      if (group === undefined) {
        single.push(s);
        continue;
      }
      const list = logs.get(group) ?? [];
      list.push(s);
      logs.set(group, list);
    }
    for (const [group, list] of logs) {
      const batch: LogDelivery[] = list.map((s) => ({ delivery: s.value, input: this.#input(s.value) }));
      let results: InvokeOutcome[];
      try {
        results = await invokeLogsBatch(this.#o.ports, this.#o.partition.region, group, batch);
      } catch (error) {
        const outcome = failed(`internal error: ${describeError(error).split('\n')[0]}`, true);
        results = list.map(() => outcome);
      }
      for (const [i, s] of list.entries()) outcomes.set(s, results[i]!);
    }
    if (single.length > INVOKE_BATCH) {
      single.length = INVOKE_BATCH;
      more = true;
    }
    let next = 0;
    const worker = async () => {
      while (next < single.length) {
        const s = single[next++]!;
        let outcome: InvokeOutcome;
        try {
          outcome = await this.#invoke(s.value, clock.now());
        } catch (error) {
          outcome = failed(`internal error: ${describeError(error).split('\n')[0]}`, true);
        }
        outcomes.set(s, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(TARGET_CONCURRENCY, single.length) }, worker));

    const throttledUntil = await this.#settle(outcomes, clock.now());
    // More due: at once, unless the target's rate limit said when it frees up.
    if (more && !Number.isFinite(throttledUntil)) return { requeueAfterMs: 0 };
    later = Math.min(later, throttledUntil);
    return Number.isFinite(later) ? { requeueAfterMs: Math.max(0, later - clock.now()) } : {};
  }

  /**
   * Event-bus targets on this region whose bus exists: the events go on that bus's outbox and
   * their records go, in one transaction. Returns the other deliveries.
   */
  async #forward(due: readonly Due[], now: number): Promise<Due[]> {
    const forward: Due[] = [];
    const rest: Due[] = [];
    const exists = new Map<string, boolean>();
    for (const s of due) {
      const arn = s.value.target.Arn ?? '';
      if (!isBusArn(arn) || !this.#local(arn)) {
        rest.push(s);
        continue;
      }
      let there = exists.get(arn);
      if (there === undefined) {
        there = (await findBus(this.#o.store, this.#o, arn)) !== undefined;
        exists.set(arn, there);
      }
      (there ? forward : rest).push(s);
    }
    if (forward.length === 0) return rest;
    await this.#o.store.transact(async (tx) => {
      const changes: DeliveryChange[] = [];
      for (const s of forward) {
        const current = await tx.get(Kind.EventDelivery, s.key);
        if (current?.version !== s.version) continue;
        await forwardEvent(tx, busName(s.value.target.Arn ?? ''), s.value.event, s.value.acceptedAt);
        changes.push({ type: 'remove', key: s.key, version: s.version });
      }
      await settleDeliveries(tx, changes);
    });
    for (const s of forward) this.#o.metrics.add(EventMetric.Invocations, s.value.bus, s.value.ruleName, now);
    return rest;
  }

  /** One transaction for the batch's outcomes; returns when the earliest throttled one may go. */
  async #settle(outcomes: Map<Due, InvokeOutcome>, now: number): Promise<number> {
    const changes: DeliveryChange[] = [];
    const givenUp: { d: DeliveryRecord; attempts: number; reason: string }[] = [];
    let throttledUntil = Number.POSITIVE_INFINITY;
    for (const [s, outcome] of outcomes) {
      const d = s.value;
      if (outcome.type === 'throttled') {
        throttledUntil = Math.min(throttledUntil, now + outcome.afterMs);
        continue;
      }
      this.#o.metrics.add(EventMetric.Invocations, d.bus, d.ruleName, now);
      if (outcome.type === 'ok') {
        changes.push({ type: 'remove', key: s.key, version: s.version });
        continue;
      }
      const attempts = d.attempts + 1;
      const at = outcome.retriable
        ? nextAttemptAt(retryLimits(d.target), attempts, d.acceptedAt, now, this.#o.backoffBaseMs)
        : undefined;
      if (at !== undefined) {
        const next: DeliveryRecord = { ...d, attempts, nextAttemptAt: at, lastError: outcome.reason };
        changes.push({ type: 'retry', key: s.key, version: s.version, next });
      } else {
        changes.push({ type: 'remove', key: s.key, version: s.version });
        givenUp.push({ d, attempts, reason: outcome.reason });
      }
    }
    if (changes.length > 0) await this.#o.store.transact((tx) => settleDeliveries(tx, changes));
    for (const { d, attempts, reason } of givenUp) this.#gaveUp(d, attempts, reason, now);
    return throttledUntil;
  }

  #gaveUp(d: DeliveryRecord, attempts: number, reason: string, now: number): void {
    this.#o.metrics.add(EventMetric.FailedInvocations, d.bus, d.ruleName, now);
    const dlq = d.target.DeadLetterConfig?.Arn;
    if (dlq) this.#o.metrics.add(EventMetric.InvocationsFailedToBeSentToDlq, d.bus, d.ruleName, now);
    this.#o.log?.warn(
      {
        region: this.#o.partition.region,
        rule: d.ruleArn,
        target: d.target.Id,
        targetArn: d.target.Arn,
        eventId: d.event.id,
        attempts,
        reason,
        ...(dlq ? { deadLetterQueue: dlq } : {}),
      },
      'EventBridge delivery failed',
    );
  }

  #input(d: DeliveryRecord): string {
    return targetInput(d.target, d.event, {
      ruleArn: d.ruleArn,
      ruleName: d.ruleName,
      ingestionTime: eventTime(d.acceptedAt),
    });
  }

  /** The ARN names this region (or none). */
  #local(arn: string): boolean {
    const region = arnRegion(arn);
    return region === '' || region === this.#o.partition.region;
  }

  #invoke(d: DeliveryRecord, now: number): Promise<InvokeOutcome> {
    const arn = d.target.Arn ?? '';
    if (!this.#local(arn)) return Promise.resolve(failed(`target ${arn} is in another region`, false));
    const region = this.#o.partition.region;
    const input = this.#input(d);
    const service = arn.split(':')[2];
    if (isBusArn(arn)) return Promise.resolve(failed(`event bus ${busName(arn)} does not exist`, false));
    if (service === 'ecs' && arn.includes(':cluster/')) {
      const custom =
        d.target.Input !== undefined ||
        d.target.InputPath !== undefined ||
        d.target.InputTransformer !== undefined;
      return invokeEcs(this.#o.ports, region, d, input, custom);
    }
    if (service === 'logs') return Promise.resolve(failed(`not a log group ARN: ${arn}`, false));
    if (service === 'events' && arn.includes(':api-destination/')) {
      return invokeApiDestination(
        { ports: this.#o.ports, store: this.#o.store, limiter: this.#limiter, tokens: this.#tokens, now },
        d,
        input,
      );
    }
    return Promise.resolve(
      failed(`target type ${service ?? 'unknown'} is not served by Longshore (${arn})`, false),
    );
  }
}

function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

function isBusArn(arn: string): boolean {
  return /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//.test(arn);
}
