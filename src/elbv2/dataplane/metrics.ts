/** CloudWatch's ELBv2 counters, summed between two `metrics` reports; gauges are read at report time. */
import type { Socket } from 'node:net';
import type { MetricsSample } from './config.ts';
import type { TargetGroupRuntime } from './targets.ts';

export interface LbCounters {
  requestCount: number;
  newConnectionCount: number;
  httpCodeElb4xx: number;
  httpCodeElb5xx: number;
  processedBytes: number;
  /** A gauge kept up to date by the listeners (not reset). */
  activeConnectionCount: number;
}

export interface TgCounters {
  requestCount: number;
  httpCodeTarget2xx: number;
  httpCodeTarget3xx: number;
  httpCodeTarget4xx: number;
  httpCodeTarget5xx: number;
  targetResponseTimeSum: number;
  targetResponseTimeCount: number;
}

const newLb = (): LbCounters => ({
  requestCount: 0,
  newConnectionCount: 0,
  httpCodeElb4xx: 0,
  httpCodeElb5xx: 0,
  processedBytes: 0,
  activeConnectionCount: 0,
});

const newTg = (): TgCounters => ({
  requestCount: 0,
  httpCodeTarget2xx: 0,
  httpCodeTarget3xx: 0,
  httpCodeTarget4xx: 0,
  httpCodeTarget5xx: 0,
  targetResponseTimeSum: 0,
  targetResponseTimeCount: 0,
});

export class Metrics {
  readonly #lbs = new Map<string, LbCounters>();
  /** Keyed `${tgArn} ${lbArn}`: CloudWatch's (TargetGroup, LoadBalancer) dimensions. */
  readonly #tgs = new Map<string, TgCounters>();

  lb(arn: string): LbCounters {
    let c = this.#lbs.get(arn);
    if (!c) {
      c = newLb();
      this.#lbs.set(arn, c);
    }
    return c;
  }

  tg(tgArn: string, lbArn: string): TgCounters {
    const key = `${tgArn} ${lbArn}`;
    let c = this.#tgs.get(key);
    if (!c) {
      c = newTg();
      this.#tgs.set(key, c);
    }
    return c;
  }

  /** Target status classes: 2xx..5xx as CloudWatch's HTTPCode_Target_nXX_Count. */
  countTargetStatus(c: TgCounters, status: number): void {
    if (status >= 500) c.httpCodeTarget5xx++;
    else if (status >= 400) c.httpCodeTarget4xx++;
    else if (status >= 300) c.httpCodeTarget3xx++;
    else if (status >= 200) c.httpCodeTarget2xx++;
  }

  /**
   * The sample since the last call, then counters start again from zero. `pairs` names every
   * (target group, load balancer) the config routes, so idle ones still report their host counts.
   */
  sample(
    at: number,
    lbArns: string[],
    pairs: [string, string][],
    groups: Map<string, TargetGroupRuntime>,
  ): MetricsSample {
    const loadBalancers = lbArns.map((arn) => {
      const c = this.lb(arn);
      const out = { arn, ...c };
      this.#lbs.set(arn, { ...newLb(), activeConnectionCount: c.activeConnectionCount });
      return out;
    });
    const targetGroups = pairs.map(([tgArn, lbArn]) => {
      const c = this.tg(tgArn, lbArn);
      this.#tgs.set(`${tgArn} ${lbArn}`, newTg());
      const group = groups.get(tgArn);
      let healthy = 0;
      let unhealthy = 0;
      for (const t of group?.targets.values() ?? []) {
        const state = group?.reported(t).state;
        if (state === 'healthy' || state === 'unavailable') healthy++;
        else if (state === 'unhealthy') unhealthy++;
      }
      return {
        arn: tgArn,
        loadBalancerArn: lbArn,
        ...c,
        healthyHostCount: healthy,
        unhealthyHostCount: unhealthy,
      };
    });
    for (const arn of [...this.#lbs.keys()]) if (!lbArns.includes(arn)) this.#lbs.delete(arn);
    return { at, loadBalancers, targetGroups };
  }
}

const LB_OF_SOCKET = Symbol('longshore.lb');

/** Connection metrics of an ALB client connection, counted for the LB of its first request (a shared port serves several). */
export function countConnection(metrics: Metrics, socket: Socket | undefined, lbArn: string): void {
  const tagged = socket as (Socket & { [LB_OF_SOCKET]?: string }) | undefined;
  if (!tagged || tagged[LB_OF_SOCKET] !== undefined) return;
  tagged[LB_OF_SOCKET] = lbArn;
  const lbm = metrics.lb(lbArn);
  lbm.newConnectionCount++;
  lbm.activeConnectionCount++;
  tagged.once('close', () => {
    const c = metrics.lb(lbArn);
    c.activeConnectionCount--;
    c.processedBytes += tagged.bytesRead + tagged.bytesWritten;
  });
}

/** Adds a proxy worker's counters (from its own sample) into `metrics`; gauges are the caller's to keep. */
export function absorbSample(metrics: Metrics, sample: MetricsSample): void {
  for (const lb of sample.loadBalancers) {
    const c = metrics.lb(lb.arn);
    c.requestCount += lb.requestCount;
    c.newConnectionCount += lb.newConnectionCount;
    c.httpCodeElb4xx += lb.httpCodeElb4xx;
    c.httpCodeElb5xx += lb.httpCodeElb5xx;
    c.processedBytes += lb.processedBytes;
  }
  for (const tg of sample.targetGroups) {
    const c = metrics.tg(tg.arn, tg.loadBalancerArn);
    c.requestCount += tg.requestCount;
    c.httpCodeTarget2xx += tg.httpCodeTarget2xx;
    c.httpCodeTarget3xx += tg.httpCodeTarget3xx;
    c.httpCodeTarget4xx += tg.httpCodeTarget4xx;
    c.httpCodeTarget5xx += tg.httpCodeTarget5xx;
    c.targetResponseTimeSum += tg.targetResponseTimeSum;
    c.targetResponseTimeCount += tg.targetResponseTimeCount;
  }
}
