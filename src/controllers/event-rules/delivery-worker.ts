/**
 * Invokes the target of each delivery record, one pass per record (a KeyedController keyed by the
 * delivery's store key). A pass:
 *
 *   1. reads the record; gone: done. Not due yet: requeue at `nextAttemptAt`;
 *   2. builds the target's input (Input / InputPath / InputTransformer) and invokes it by the
 *      kind of its ARN (ECS cluster, log group, event bus, API destination; anything else fails
 *      for good with a reason);
 *   3. success: removes the record (an event-bus target forwards the event in that same
 *      transaction, so it is forwarded once); failure: the retry policy says when to try again
 *      (the record is rewritten with the attempt count) or gives up: the record is removed, the
 *      failure counted (FailedInvocations) and logged with its reason.
 *
 * A crash between an invocation and the record's removal invokes the target again after the
 * restart with the same event `id` (at least once); targets deduplicate by that id.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Timers } from '../../core/timers.ts';
import { findBus } from '../../events/model/buses.ts';
import { type DeliveryRecord, forwardEvent } from '../../events/model/deliveries.ts';
import { busName, eventTime } from '../../events/model/publish-events.ts';
import { nextAttemptAt, retryLimits } from '../../events/model/retry-policy.ts';
import { targetInput } from '../../events/model/target-input.ts';
import { Kind, type Store } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';
import { type EventMetrics, EventMetric } from './event-metrics.ts';
import { invokeApiDestination } from './invoke-api-destination.ts';
import { invokeEcs } from './invoke-ecs.ts';
import { invokeLogs } from './invoke-logs.ts';
import { OAuthTokens } from './oauth-tokens.ts';
import { RateLimiter } from './rate-limiter.ts';
import { type EventTargetPorts, failed, type InvokeOutcome } from './target-ports.ts';

export const DELIVERY_RESYNC_MS = 60_000;
/** Invocations under way at once (HTTP targets wait on the network). */
export const DELIVERY_WORKERS = 32;

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

export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions;
  readonly #keys: KeyedController;
  readonly #limiter = new RateLimiter();
  readonly #tokens = new OAuthTokens();

  constructor(options: DeliveryWorkerOptions) {
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'EventBridge delivery',
      keyLabel: 'delivery',
      reconcile: (key) => this.#deliver(key),
      enqueueAll: async (add) => {
        for (const s of await options.store.list(Kind.EventDelivery)) add(s.key);
      },
      resyncMs: DELIVERY_RESYNC_MS,
      workers: DELIVERY_WORKERS,
      timers: options.timers,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  add(key: string): void {
    this.#keys.add(key);
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

  async #deliver(key: string): Promise<{ requeueAfterMs?: number }> {
    const { store, clock } = this.#o;
    const stored = await store.get<DeliveryRecord>(Kind.EventDelivery, key);
    if (!stored) return {};
    const d = stored.value;
    const now = clock.now();
    if (d.nextAttemptAt > now) return { requeueAfterMs: d.nextAttemptAt - now };
    const arn = d.target.Arn ?? '';
    const forward =
      isBusArn(arn) &&
      (await findBus(store, this.#o, arn)) !== undefined &&
      arnRegion(arn) === this.#o.partition.region;
    if (forward) {
      // Forwarding and removal in one transaction: the event lands on the other bus exactly once.
      await store.transact(async (tx) => {
        await forwardEvent(tx, busName(arn), d.event, d.acceptedAt);
        await tx.remove(Kind.EventDelivery, key, stored.version);
      });
      this.#o.metrics.add(EventMetric.Invocations, d.bus, d.ruleName, now);
      return {};
    }
    let outcome: InvokeOutcome;
    try {
      outcome = await this.#invoke(d, now);
    } catch (error) {
      outcome = failed(`internal error: ${describeError(error).split('\n')[0]}`, true);
    }
    if (outcome.type === 'throttled') return { requeueAfterMs: outcome.afterMs };
    this.#o.metrics.add(EventMetric.Invocations, d.bus, d.ruleName, now);
    if (outcome.type === 'ok') {
      await store.transact((tx) => tx.remove(Kind.EventDelivery, key, stored.version));
      return {};
    }
    const attempts = d.attempts + 1;
    const at = outcome.retriable
      ? nextAttemptAt(retryLimits(d.target), attempts, d.acceptedAt, now, this.#o.backoffBaseMs)
      : undefined;
    if (at !== undefined) {
      const next: DeliveryRecord = { ...d, attempts, nextAttemptAt: at, lastError: outcome.reason };
      await store.transact((tx) => tx.put(Kind.EventDelivery, key, next, stored.version));
      return { requeueAfterMs: at - now };
    }
    await store.transact((tx) => tx.remove(Kind.EventDelivery, key, stored.version));
    this.#o.metrics.add(EventMetric.FailedInvocations, d.bus, d.ruleName, now);
    if (d.target.DeadLetterConfig?.Arn) {
      this.#o.metrics.add(EventMetric.InvocationsFailedToBeSentToDlq, d.bus, d.ruleName, now);
    }
    this.#o.log?.warn(
      {
        region: this.#o.partition.region,
        rule: d.ruleArn,
        target: d.target.Id,
        targetArn: arn,
        eventId: d.event.id,
        attempts,
        reason: outcome.reason,
        ...(d.target.DeadLetterConfig?.Arn ? { deadLetterQueue: d.target.DeadLetterConfig.Arn } : {}),
      },
      'EventBridge delivery failed',
    );
    return {};
  }

  #invoke(d: DeliveryRecord, now: number): Promise<InvokeOutcome> {
    const arn = d.target.Arn ?? '';
    const input = targetInput(d.target, d.event, {
      ruleArn: d.ruleArn,
      ruleName: d.ruleName,
      ingestionTime: eventTime(d.acceptedAt),
    });
    const region = arnRegion(arn) || this.#o.partition.region;
    if (region !== this.#o.partition.region) {
      return Promise.resolve(failed(`target ${arn} is in another region`, false));
    }
    const service = arn.split(':')[2];
    if (isBusArn(arn)) return Promise.resolve(failed(`event bus ${busName(arn)} does not exist`, false));
    if (service === 'ecs' && arn.includes(':cluster/')) {
      const custom =
        d.target.Input !== undefined ||
        d.target.InputPath !== undefined ||
        d.target.InputTransformer !== undefined;
      return invokeEcs(this.#o.ports, region, d, input, custom);
    }
    if (service === 'logs') return invokeLogs(this.#o.ports, region, d, input);
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
