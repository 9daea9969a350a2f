/**
 * GET /metrics (Prometheus text format, no credentials): API requests by service, operation and
 * status with latency, connected agents, tasks / services / container instances per region, and
 * Node's process metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

describe('Prometheus metrics', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  it('counts API requests and reads the store on each scrape', async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'metrics' }));
    await t.ecs.send(new ListClustersCommand({}));
    await t.ecs.send(new ListClustersCommand({}));
    await assert.rejects(
      t.ecs.send(new DescribeClustersCommand({ clusters: ['x'], include: ['NOPE' as never] })),
    );
    const res = await fetch(`${t.plane.endpoint}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(
      text,
      /^longshore_api_requests_total\{service="ecs",operation="ListClusters",status="200"\} 2$/m,
    );
    assert.match(
      text,
      /^longshore_api_requests_total\{service="ecs",operation="DescribeClusters",status="400"\} 1$/m,
    );
    assert.match(text, /^longshore_api_request_duration_seconds_count\{service="ecs"\} [4-9]$/m);
    // Cumulative buckets ending with +Inf == count, as a Prometheus histogram has them.
    const count = /^longshore_api_request_duration_seconds_count\{service="ecs"\} (\d+)$/m.exec(text)?.[1];
    assert.match(
      text,
      new RegExp(
        `^longshore_api_request_duration_seconds_bucket\\{le="\\+Inf",service="ecs"\\} ${count}$`,
        'm',
      ),
    );
    const buckets = [
      ...text.matchAll(
        /^longshore_api_request_duration_seconds_bucket\{le="([\d.]+)",service="ecs"\} (\d+)$/gm,
      ),
    ];
    assert.equal(buckets.length, 12);
    for (let i = 1; i < buckets.length; i++) assert.ok(Number(buckets[i][2]) >= Number(buckets[i - 1][2]));
    assert.match(text, /^# TYPE longshore_api_request_duration_seconds histogram$/m);
    assert.match(text, /^longshore_api_request_duration_seconds_sum\{service="ecs"\} [\d.e-]+$/m);
    assert.match(text, /^longshore_agents_connected 0$/m);
    assert.match(text, /^longshore_process_resident_memory_bytes \d+/m);
    assert.match(text, /^longshore_nodejs_eventloop_lag_p99_seconds /m);
    assert.match(text, /^longshore_store_revision \d+$/m);
    // The scrape itself is not an API call, and needs no signature.
    assert.doesNotMatch(text, /operation="\/metrics"/);
  });
});
