/**
 * EventBridge's AWS/Events metrics, per rule (dimension RuleName, and EventBusName for rules of
 * a custom bus): TriggeredRules and MatchedEvents when events match, Invocations and
 * FailedInvocations as targets are invoked, InvocationsFailedToBeSentToDlq when a failed delivery
 * had a dead-letter queue (SQS is not served here, so nothing reaches one). Counts are summed in
 * memory per minute and written every `flushMs` (a crash loses at most that much).
 */
import { putMetricData, type MetricDatum } from '../../cloudwatch/model/metric-data.ts';
import { describeError } from '../../core/errors.ts';
import type { Timers } from '../../core/timers.ts';
import type { Store } from '../../store/store.ts';
import { DEFAULT_BUS } from '../../events/model/records.ts';

export const EventMetric = {
  TriggeredRules: 'TriggeredRules',
  MatchedEvents: 'MatchedEvents',
  Invocations: 'Invocations',
  FailedInvocations: 'FailedInvocations',
  InvocationsFailedToBeSentToDlq: 'InvocationsFailedToBeSentToDlq',
} as const;
export type EventMetric = (typeof EventMetric)[keyof typeof EventMetric];

export const METRICS_FLUSH_MS = 1_000;
const MINUTE_MS = 60_000;

export class EventMetrics {
  readonly #store: Store;
  readonly #timers: Timers;
  readonly #log: { warn(obj: object, msg: string): void } | undefined;
  readonly #counts = new Map<
    string,
    { metric: EventMetric; bus: string; rule: string; minute: number; n: number }
  >();
  #timer: unknown;

  constructor(store: Store, timers: Timers, log?: { warn(obj: object, msg: string): void }) {
    this.#store = store;
    this.#timers = timers;
    this.#log = log;
  }

  add(metric: EventMetric, bus: string, rule: string, at: number, n = 1): void {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const key = `${metric}\n${bus}\n${rule}\n${minute}`;
    const entry = this.#counts.get(key);
    if (entry) entry.n += n;
    else this.#counts.set(key, { metric, bus, rule, minute, n });
    this.#timer ??= this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((error: unknown) =>
        this.#log?.warn({ error: describeError(error) }, 'EventBridge metrics failed'),
      );
    }, METRICS_FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const entries = [...this.#counts.values()];
    this.#counts.clear();
    const data: MetricDatum[] = entries.map((e) => ({
      namespace: 'AWS/Events',
      metricName: e.metric,
      dimensions:
        e.bus === DEFAULT_BUS
          ? [{ name: 'RuleName', value: e.rule }]
          : [
              { name: 'EventBusName', value: e.bus },
              { name: 'RuleName', value: e.rule },
            ],
      timestamp: e.minute,
      unit: 'Count',
      sampleCount: e.n,
      sum: e.n,
      minimum: 1,
      maximum: 1,
    }));
    await putMetricData(this.#store, data);
  }
}
