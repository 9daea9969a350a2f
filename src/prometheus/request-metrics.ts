/**
 * API request counts and latency, kept by the control plane itself from its first request: a Map
 * lookup and a few additions per request, no prom-client on the hot path. prom-client (loaded with
 * the first scrape, lazy-metrics.ts) formats them through its custom-metric interface (an object
 * with `name`, `help`, `type` and `get()`, which `Registry.registerMetric` takes).
 */
import type { RequestOutcome } from '../aws/gateway.ts';

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Latency {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** A value of prom-client's `MetricObject`: what `get()` returns. */
export interface PromMetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

export interface PromMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: PromMetricValue[] }>;
  reset(): void;
}

export class RequestMetrics {
  /** By `service \0 operation \0 status`. */
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Latency>();

  readonly record = (o: RequestOutcome): void => {
    const key = `${o.service}\0${o.operation}\0${o.status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let latency = this.#latency.get(o.service);
    if (latency === undefined) {
      latency = { buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.#latency.set(o.service, latency);
    }
    let i = 0;
    while (i < LATENCY_BUCKETS.length && o.seconds > LATENCY_BUCKETS[i]) i++;
    latency.buckets[i]++;
    latency.sum += o.seconds;
    latency.count++;
  };

  /** `longshore_api_requests_total` and `longshore_api_request_duration_seconds`, for a registry. */
  promMetrics(): PromMetric[] {
    const requests = this.#requests;
    const latency = this.#latency;
    const metric = (
      name: string,
      help: string,
      type: PromMetric['type'],
      values: () => PromMetricValue[],
    ): PromMetric => ({
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => {},
    });
    return [
      metric(
        'longshore_api_requests_total',
        'API requests answered, by service, operation and HTTP status',
        'counter',
        () =>
          [...requests].map(([key, value]) => {
            const [service, operation, status] = key.split('\0');
            return { labels: { service, operation, status }, value };
          }),
      ),
      metric(
        'longshore_api_request_duration_seconds',
        'Time to answer an API request, by service',
        'histogram',
        () => {
          const values: PromMetricValue[] = [];
          const name = 'longshore_api_request_duration_seconds';
          for (const [service, l] of latency) {
            let cumulative = 0;
            LATENCY_BUCKETS.forEach((le, i) => {
              cumulative += l.buckets[i];
              values.push({ metricName: `${name}_bucket`, labels: { le, service }, value: cumulative });
            });
            values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', service }, value: l.count });
            values.push({ metricName: `${name}_sum`, labels: { service }, value: l.sum });
            values.push({ metricName: `${name}_count`, labels: { service }, value: l.count });
          }
          return values;
        },
      ),
    ];
  }
}
