/**
 * The control plane's metrics without paying for prom-client until someone scrapes: requests are
 * counted from the start by `RequestMetrics` (request-metrics.ts); prom-client, its process metrics
 * (event loop lag, heap, GC: measured from the first scrape on) and the store gauges load with the
 * first `GET /metrics`. prom-client and its dependencies cost ~18 MiB of RSS and ~80 modules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestOutcome } from '../aws/gateway.ts';
import type { ControlPlaneMetrics, ControlPlaneMetricsSources } from './control-plane-metrics.ts';
import { RequestMetrics } from './request-metrics.ts';

export class LazyMetrics {
  readonly #sources: ControlPlaneMetricsSources;
  readonly #requests = new RequestMetrics();
  #loading: Promise<ControlPlaneMetrics> | undefined;

  constructor(sources: Omit<ControlPlaneMetricsSources, 'requests'>) {
    this.#sources = { ...sources, requests: this.#requests };
  }

  readonly onRequest = (outcome: RequestOutcome): void => this.#requests.record(outcome);

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await (await this.#load()).handle(req, res);
  };

  #load(): Promise<ControlPlaneMetrics> {
    this.#loading ??= import('./control-plane-metrics.ts').then((m) => m.controlPlaneMetrics(this.#sources));
    return this.#loading;
  }
}
