/**
 * The data plane's metrics samples as CloudWatch data: AWS/ApplicationELB for application load
 * balancers and AWS/NetworkELB for network ones, with CloudWatch's metric names and dimensions
 * (`LoadBalancer` = `app/<name>/<id>`, `TargetGroup` = `targetgroup/<name>/<id>`). Counters are
 * sums over the sample; gauges (healthy hosts, active connections) one observation each; target
 * response time a statistic set of the sample's requests (Average = Sum / SampleCount). Pure.
 */
import type { MetricsSample } from '../dataplane/config.ts';

export interface ElbMetricDatum {
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  timestamp: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** `arn:...:loadbalancer/app/web/0123` -> `app/web/0123`; `arn:...:targetgroup/web/0123` -> `targetgroup/web/0123`. */
export function dimensionOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('loadbalancer/') ? resource.slice('loadbalancer/'.length) : resource;
}

const namespaceOf = (lbArn: string) =>
  dimensionOf(lbArn).startsWith('net/') ? 'AWS/NetworkELB' : 'AWS/ApplicationELB';

export function sampleToMetricData(sample: MetricsSample): ElbMetricDatum[] {
  const out: ElbMetricDatum[] = [];
  const at = sample.at;
  const datum = (
    namespace: string,
    metricName: string,
    dims: [string, string][],
    unit: string,
    value: number,
  ): ElbMetricDatum => ({
    namespace,
    metricName,
    dimensions: dims.map(([name, v]) => ({ name, value: v })),
    timestamp: at,
    unit,
    sampleCount: 1,
    sum: value,
    minimum: value,
    maximum: value,
  });
  for (const lb of sample.loadBalancers) {
    const ns = namespaceOf(lb.arn);
    const dims: [string, string][] = [['LoadBalancer', dimensionOf(lb.arn)]];
    if (ns === 'AWS/ApplicationELB') {
      out.push(datum(ns, 'RequestCount', dims, 'Count', lb.requestCount));
      out.push(datum(ns, 'ActiveConnectionCount', dims, 'Count', lb.activeConnectionCount));
      out.push(datum(ns, 'NewConnectionCount', dims, 'Count', lb.newConnectionCount));
      out.push(datum(ns, 'HTTPCode_ELB_4XX_Count', dims, 'Count', lb.httpCodeElb4xx));
      out.push(datum(ns, 'HTTPCode_ELB_5XX_Count', dims, 'Count', lb.httpCodeElb5xx));
      out.push(datum(ns, 'ProcessedBytes', dims, 'Bytes', lb.processedBytes));
    } else {
      out.push(datum(ns, 'ActiveFlowCount', dims, 'Count', lb.activeConnectionCount));
      out.push(datum(ns, 'NewFlowCount', dims, 'Count', lb.newConnectionCount));
      out.push(datum(ns, 'ProcessedBytes', dims, 'Bytes', lb.processedBytes));
    }
  }
  for (const tg of sample.targetGroups) {
    const ns = namespaceOf(tg.loadBalancerArn);
    const both: [string, string][] = [
      ['LoadBalancer', dimensionOf(tg.loadBalancerArn)],
      ['TargetGroup', dimensionOf(tg.arn)],
    ];
    out.push(datum(ns, 'HealthyHostCount', both, 'Count', tg.healthyHostCount));
    out.push(datum(ns, 'UnHealthyHostCount', both, 'Count', tg.unhealthyHostCount));
    if (ns !== 'AWS/ApplicationELB') continue;
    out.push(datum(ns, 'RequestCount', both, 'Count', tg.requestCount));
    // Requests per healthy target (CloudWatch's RequestCountPerTarget is per target group only).
    const perTarget = tg.healthyHostCount > 0 ? tg.requestCount / tg.healthyHostCount : tg.requestCount;
    out.push(datum(ns, 'RequestCountPerTarget', [['TargetGroup', dimensionOf(tg.arn)]], 'Count', perTarget));
    out.push(datum(ns, 'HTTPCode_Target_2XX_Count', both, 'Count', tg.httpCodeTarget2xx));
    out.push(datum(ns, 'HTTPCode_Target_3XX_Count', both, 'Count', tg.httpCodeTarget3xx));
    out.push(datum(ns, 'HTTPCode_Target_4XX_Count', both, 'Count', tg.httpCodeTarget4xx));
    out.push(datum(ns, 'HTTPCode_Target_5XX_Count', both, 'Count', tg.httpCodeTarget5xx));
    if (tg.targetResponseTimeCount > 0) {
      const mean = tg.targetResponseTimeSum / tg.targetResponseTimeCount;
      out.push({
        ...datum(ns, 'TargetResponseTime', both, 'Seconds', mean),
        sampleCount: tg.targetResponseTimeCount,
        sum: tg.targetResponseTimeSum,
      });
    }
  }
  return out;
}
