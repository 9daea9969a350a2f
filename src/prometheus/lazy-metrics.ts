/**
 * The control plane's metrics without paying for prom-client at start-up: requests answered before
 * it loads are kept (up to MAX_PENDING) and counted once it has; it loads on the first scrape or
 * `loadAfterMs` after start, whichever comes first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestOutcome } from '../aws/gateway.ts';
import type { ControlPlaneMetrics, ControlPlaneMetricsSources } from './control-plane-metrics.ts';

const MAX_PENDING = 10_000;

export class LazyMetrics {
  readonly #sources: ControlPlaneMetricsSources;
  readonly #pending: RequestOutcome[] = [];
  #metrics: ControlPlaneMetrics | undefined;
  #loading: Promise<ControlPlaneMetrics> | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(sources: ControlPlaneMetricsSources, loadAfterMs = 2_000) {
    this.#sources = sources;
    this.#timer = setTimeout(() => void this.#load().catch(() => {}), loadAfterMs);
    this.#timer.unref();
  }

  readonly onRequest = (outcome: RequestOutcome): void => {
    if (this.#metrics) this.#metrics.onRequest(outcome);
    else if (this.#pending.length < MAX_PENDING) this.#pending.push(outcome);
  };

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await (await this.#load()).handle(req, res);
  };

  close(): void {
    clearTimeout(this.#timer);
  }

  #load(): Promise<ControlPlaneMetrics> {
    this.#loading ??= import('./control-plane-metrics.ts').then((m) => {
      const metrics = m.controlPlaneMetrics(this.#sources);
      for (const o of this.#pending.splice(0)) metrics.onRequest(o);
      this.#metrics = metrics;
      return metrics;
    });
    return this.#loading;
  }
}
