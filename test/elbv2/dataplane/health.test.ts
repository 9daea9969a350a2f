/** Health checks driven by a manual clock: thresholds, reason codes, unused/disabled states, fail open, slow start. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  DataplaneConfig,
  HealthCheckConfig,
  TargetHealth,
} from '../../../src/elbv2/dataplane/config.ts';
import { type Dataplane, startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import {
  alb,
  collect,
  forward,
  get,
  HC_OFF,
  listener,
  ManualTimers,
  type TestTarget,
  startTarget,
  targetOf,
  tg,
  waitFor,
} from './support.ts';

const HC: HealthCheckConfig = {
  ...HC_OFF,
  enabled: true,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThresholdCount: 3,
  unhealthyThresholdCount: 2,
  matcherHttpCode: '200-299',
};

describe('health checks', () => {
  let timers: ManualTimers;
  let dp: Dataplane;
  let a: TestTarget;
  let b: TestTarget;
  let c: TestTarget;
  const probes = new Map<string, number>();
  const healthStatus = new Map<string, number | 'hang'>();
  let config: DataplaneConfig;

  before(async () => {
    [a, b, c] = await Promise.all([startTarget('a'), startTarget('b'), startTarget('c')]);
    for (const t of [a, b, c]) {
      const original = t.handler;
      t.handler = (req, res) => {
        if (req.url !== '/health') return original(req, res);
        probes.set(t.name, (probes.get(t.name) ?? 0) + 1);
        const status = healthStatus.get(t.name) ?? 200;
        if (status === 'hang') return;
        res.writeHead(status);
        res.end();
      };
    }
    timers = new ManualTimers();
    dp = startDataplane({ clock: timers.clock, timers, metricsIntervalMs: 3_600_000 });
    config = {
      generation: 1,
      targetGroups: [
        tg('web', [targetOf(a), targetOf(b)], { healthCheck: HC }),
        tg('slow', [targetOf(c)], { healthCheck: { ...HC, healthyThresholdCount: 2 } }),
        tg('idle', [targetOf(a)], { healthCheck: HC }),
        tg('off', [targetOf(a)]),
      ],
      loadBalancers: [
        alb('lb', [
          listener(
            'l',
            0,
            [forward('web')],
            [
              {
                arn: 'r1',
                priority: 1,
                conditions: [{ field: 'path-pattern', values: ['/slow'] }],
                actions: [forward('slow')],
              },
              {
                arn: 'r2',
                priority: 2,
                conditions: [{ field: 'path-pattern', values: ['/off'] }],
                actions: [forward('off')],
              },
            ],
          ),
        ]),
      ],
    };
    await dp.apply(config);
  });

  after(async () => {
    await dp.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  const stateOf = (group: string, name: string): TargetHealth | undefined =>
    dp.targetHealth(group).find((t) => t.key.startsWith(`${name}:`));

  /**
   * Moves the clock by `ms` and waits until each named target has answered one more probe and the
   * checker has counted it: a counted probe's loop waits for its next interval (due after the
   * timeout), a probe still out has only its timeout pending. `hanging` probes stay out on purpose.
   */
  async function round(ms: number, names: string[], hanging = 0): Promise<void> {
    const before = new Map(names.map((n) => [n, probes.get(n) ?? 0]));
    timers.advance(ms);
    await waitFor(
      () => names.every((n) => (probes.get(n) ?? 0) > (before.get(n) ?? 0)),
      10_000,
      `probes of ${names}`,
    );
    await waitFor(
      () => timers.dueTimes().filter((at) => at <= timers.now + HC.timeoutSeconds * 1000).length === hanging,
      10_000,
      'probes counted',
    );
  }

  it('starts initial, reports unused and disabled groups as ELBv2 does', () => {
    assert.deepEqual(stateOf('web', 'a'), {
      targetGroupArn: 'web',
      key: `a:${a.port}`,
      state: 'initial',
      reason: 'Elb.InitialHealthChecking',
      description: 'Initial health checks in progress',
    });
    assert.equal(stateOf('idle', 'a')?.state, 'unused');
    assert.equal(stateOf('idle', 'a')?.reason, 'Target.NotInUse');
    assert.equal(stateOf('off', 'a')?.state, 'unavailable');
    assert.equal(stateOf('off', 'a')?.reason, 'Target.HealthCheckDisabled');
  });

  it('routes to all targets while none is healthy yet (fail open)', async () => {
    const port = dp.hostPort('l') ?? 0;
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) bodies.add((await get(port, '/')).body);
    assert.deepEqual([...bodies].sort(), ['a', 'b']);
  });

  it('turns healthy after healthyThresholdCount successes, one per interval', async () => {
    const reports = collect(dp);
    await round(0, ['a', 'b', 'c']);
    await round(10_000, ['a', 'b', 'c']);
    assert.equal(stateOf('web', 'a')?.state, 'initial');
    assert.equal(stateOf('slow', 'c')?.state, 'healthy', 'threshold 2 for this group');
    await round(10_000, ['a', 'b', 'c']);
    assert.equal(stateOf('web', 'a')?.state, 'healthy');
    assert.equal(stateOf('web', 'b')?.state, 'healthy');
    assert.equal(stateOf('web', 'a')?.reason, undefined);
    const health = await waitFor(() =>
      reports.find(
        (r) =>
          r.type === 'health' && r.targets.some((t) => t.targetGroupArn === 'web' && t.state === 'healthy'),
      ),
    );
    assert.ok(health.type === 'health' && health.generation === 1);
    // The probe went to the health-check path with ELB's user agent.
    assert.equal((await get(dp.hostPort('l') ?? 0, '/')).status, 200);
  });

  it('turns unhealthy after unhealthyThresholdCount failures (ResponseCodeMismatch, Timeout); unhealthy targets get no requests', async () => {
    healthStatus.set('b', 500);
    healthStatus.set('c', 'hang');
    await round(10_000, ['a', 'b', 'c'], 1);
    assert.equal(stateOf('web', 'b')?.state, 'healthy', 'one failure is not enough');
    const before = probes.get('c') ?? 0;
    timers.advance(5_000); // c's probe times out (the timeout fires in this call)
    assert.equal(probes.get('c'), before);
    await round(5_000, ['a', 'b', 'c'], 1);
    timers.advance(5_000);
    assert.deepEqual(stateOf('web', 'b'), {
      targetGroupArn: 'web',
      key: `b:${b.port}`,
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [500]',
    });
    assert.equal(stateOf('slow', 'c')?.state, 'unhealthy');
    assert.equal(stateOf('slow', 'c')?.reason, 'Target.Timeout');
    const port = dp.hostPort('l') ?? 0;
    for (let i = 0; i < 6; i++) assert.equal((await get(port, '/')).body, 'a');
    // Every target of 'slow' is unhealthy: ALB routes to them anyway.
    healthStatus.set('c', 200);
    assert.equal((await get(port, '/slow')).body, 'c');
  });

  it('gives a refused health check Target.FailedHealthChecks', async () => {
    const gone = await startTarget('gone');
    const port = gone.port;
    await gone.close();
    const t2 = new ManualTimers();
    const dp2 = startDataplane({ clock: t2.clock, timers: t2 });
    await dp2.apply({
      generation: 1,
      targetGroups: [
        tg('g', [targetOf({ name: 'gone', port })], { healthCheck: { ...HC, unhealthyThresholdCount: 1 } }),
      ],
      loadBalancers: [alb('lb2', [listener('l2', 0, [forward('g')])])],
    });
    t2.advance(0);
    const h = await waitFor(() => dp2.targetHealth('g').find((x) => x.state === 'unhealthy'));
    await dp2.close();
    assert.equal(h.reason, 'Target.FailedHealthChecks');
  });

  it('ramps a new target up linearly over slow start', async () => {
    const t3 = new ManualTimers();
    const dp3 = startDataplane({ clock: t3.clock, timers: t3 });
    const now = t3.now;
    await dp3.apply({
      generation: 1,
      targetGroups: [
        tg('ss', [targetOf(a, { registeredAt: now - 3_600_000 }), targetOf(b, { registeredAt: now })], {
          slowStartSeconds: 100,
        }),
      ],
      loadBalancers: [alb('lb3', [listener('l3', 0, [forward('ss')])])],
    });
    try {
      const port = dp3.hostPort('l3') ?? 0;
      healthStatus.clear();
      const share = async () => {
        let toB = 0;
        for (let i = 0; i < 40; i++) if ((await get(port, '/')).body === 'b') toB++;
        return toB;
      };
      t3.advance(25_000); // weight 0.25 against 1: 1/5 of the requests
      assert.equal(await share(), 8);
      t3.advance(75_000); // slow start over: half
      assert.equal(await share(), 20);
    } finally {
      await dp3.close();
    }
  });
});
