/** Proxy worker processes: they share the HTTP port, follow the primary's health, report drained and metrics back. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataplaneConfig } from '../../../src/elbv2/dataplane/config.ts';
import { type Dataplane, startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import {
  alb,
  collect,
  forward,
  get,
  HC_OFF,
  listener,
  type TestTarget,
  startTarget,
  targetOf,
  tg,
  waitFor,
} from './support.ts';

describe('proxy workers', () => {
  let dp: Dataplane;
  let a: TestTarget;
  let b: TestTarget;
  let reports: ReturnType<typeof collect>;
  let config: DataplaneConfig;

  before(async () => {
    [a, b] = await Promise.all([startTarget('a'), startTarget('b')]);
    const original = b.handler;
    b.handler = (req, res) => {
      if (req.url === '/health') {
        res.writeHead(500);
        res.end();
      } else original(req, res);
    };
    dp = startDataplane({ workers: 1, metricsIntervalMs: 300 });
    reports = collect(dp);
    const hc = {
      ...HC_OFF,
      enabled: true,
      intervalSeconds: 0.2,
      timeoutSeconds: 1,
      healthyThresholdCount: 1,
      unhealthyThresholdCount: 1,
    };
    config = {
      generation: 1,
      targetGroups: [
        tg('w', [targetOf(a), targetOf(b)], { healthCheck: hc, deregistrationDelaySeconds: 30 }),
      ],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('w')])])],
    };
    await dp.apply(config);
  });

  after(async () => {
    await dp.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('serves from both processes, and neither sends to the target the primary found unhealthy', async () => {
    await waitFor(() => dp.targetHealth('w').every((t) => t.state !== 'initial'), 10_000, 'health');
    const port = dp.hostPort('l') ?? 0;
    // The worker listens once it has started and got the config; then each process writes trace
    // ids with a prefix of its own, and neither sends anything to b.
    await waitFor(
      async () => {
        a.requests.length = 0;
        const replies = await Promise.all(Array.from({ length: 40 }, () => get(port, '/')));
        assert.ok(
          replies.every((r) => r.body === 'a'),
          'nothing goes to the unhealthy target',
        );
        return new Set(a.requests.map((r) => String(r.headers['x-amzn-trace-id']).slice(16, 28))).size === 2;
      },
      15_000,
      'both processes serving',
    );
  });

  it('adds the workers counters into the metrics reports', async () => {
    await waitFor(
      () => {
        let total = 0;
        for (const r of reports)
          if (r.type === 'metrics') total += r.sample.loadBalancers[0]?.requestCount ?? 0;
        return total >= 60;
      },
      5000,
      'metrics from both processes',
    );
  });

  it('reports drained once every process is done with the target', async () => {
    const next = structuredClone(config);
    next.generation = 2;
    next.targetGroups[0].targets[1].drainingSince = Date.now();
    await dp.apply(next);
    const drained = await waitFor(() => reports.find((r) => r.type === 'drained'), 5000, 'drained');
    assert.deepEqual(drained, { type: 'drained', targetGroupArn: 'w', key: `b:${b.port}` });
  });

  it('starts a worker that died again, with the config and health it had', async () => {
    const [pid] = dp.workerPids();
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor(
      () => dp.workerPids()[0] !== pid && dp.workerPids()[0],
      10_000,
      'a new worker',
    );
    assert.ok(restarted > 0);
    const port = dp.hostPort('l') ?? 0;
    await waitFor(
      async () => {
        a.requests.length = 0;
        await Promise.all(Array.from({ length: 30 }, () => get(port, '/')));
        return new Set(a.requests.map((r) => String(r.headers['x-amzn-trace-id']).slice(16, 28))).size === 2;
      },
      10_000,
      'both processes serving',
    );
  });
});
