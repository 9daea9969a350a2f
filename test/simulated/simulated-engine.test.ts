import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskAssignment, TaskReport } from '../../src/core/agent-protocol.ts';
import { seededRng } from '../../src/core/clock.ts';
import type { SimulationProfile } from '../../src/agent/simulated/sim-profile.ts';
import { SimulatedEngine } from '../../src/agent/simulated/simulated-engine.ts';
import { ManualTime } from './manual-time.ts';

const INSTANCE = 'arn:aws:ecs:us-east-1:000000000000:container-instance/sim/0123456789abcdef0123456789abcdef';
const HEALTH_CHECK = { command: ['CMD-SHELL', 'true'], interval: 5, retries: 2 };

let taskCounter = 0;

function assignment(
  containers: ContainerDefinition[] = [
    { name: 'app', image: 'app:1', portMappings: [{ containerPort: 80 }] },
  ],
  extra: Partial<TaskAssignment> & { networkMode?: TaskDefinition['networkMode'] } = {},
): TaskAssignment {
  const { networkMode, ...rest } = extra;
  const id = (++taskCounter).toString(16).padStart(32, '0');
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/sim/${id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/sim',
    containerInstanceArn: INSTANCE,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/app:1',
    taskDefinition: {
      family: 'app',
      containerDefinitions: containers,
      ...(networkMode ? { networkMode } : {}),
    },
    overrides: {},
    containers: containers.map((definition) => ({
      name: definition.name ?? '',
      containerArn: `arn:aws:ecs:us-east-1:000000000000:container/sim/${id}/${definition.name}`,
      definition,
    })),
    desiredStatus: 'RUNNING',
    version: 1,
    ...rest,
  };
}

interface Harness {
  time: ManualTime;
  engine: SimulatedEngine;
  reports: TaskReport[];
  of(taskArn: string): TaskReport[];
  last(taskArn: string): TaskReport;
}

async function harness(
  profile: Partial<SimulationProfile> = {},
  options: { hostPortRange?: { from: number; to: number }; cleanupWaitMs?: number; stateFile?: string } = {},
): Promise<Harness> {
  const time = new ManualTime();
  const engine = new SimulatedEngine({
    containerInstanceArn: INSTANCE,
    profile: { startMs: 100, stopDelayMs: 50, ...profile },
    clock: time,
    timers: time,
    rng: seededRng('engine-test'),
    hostPortRange: options.hostPortRange ?? { from: 40000, to: 40099 },
    ...(options.cleanupWaitMs !== undefined ? { cleanupWaitMs: options.cleanupWaitMs } : {}),
    ...(options.stateFile ? { stateFile: options.stateFile } : {}),
  });
  const reports: TaskReport[] = [];
  engine.onReport((r) => reports.push(r));
  await engine.start();
  const of = (arn: string) => reports.filter((r) => r.taskArn === arn);
  return { time, engine, reports, of, last: (arn) => of(arn).at(-1)! };
}

describe('SimulatedEngine (a simulation: no containers run)', () => {
  it('walks PENDING -> RUNNING with a fake runtime id, timestamps and a dynamic host port', async () => {
    const h = await harness();
    const a = assignment();
    const t0 = h.time.now();
    await h.engine.apply(a);
    const pending = h.last(a.taskArn);
    assert.equal(pending.seq, 1);
    assert.equal(pending.lastStatus, 'PENDING');
    assert.equal(pending.pullStartedAt, t0);
    assert.equal(pending.containers[0].lastStatus, 'PENDING');
    assert.equal(pending.containers[0].runtimeId, undefined);
    assert.equal(pending.stopCode, undefined);

    await h.time.advance(99);
    assert.equal(h.of(a.taskArn).length, 1, 'nothing happens before startMs');
    await h.time.advance(1);
    const running = h.last(a.taskArn);
    assert.equal(running.seq, 2);
    assert.equal(running.lastStatus, 'RUNNING');
    assert.equal(running.startedAt, t0 + 100);
    assert.ok(running.pullStoppedAt! >= t0 && running.pullStoppedAt! <= t0 + 100);
    const c = running.containers[0];
    assert.equal(c.lastStatus, 'RUNNING');
    assert.match(c.runtimeId ?? '', /^[0-9a-f]{64}$/);
    assert.match(c.imageDigest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(c.image, 'app:1');
    assert.equal(c.healthStatus, undefined, 'no healthCheck, no container health');
    assert.equal(running.healthStatus, 'UNKNOWN');
    const [binding] = c.networkBindings ?? [];
    assert.equal(binding.containerPort, 80);
    assert.equal(binding.protocol, 'tcp');
    assert.ok(binding.hostPort >= 40000 && binding.hostPort <= 40099);
    assert.equal(h.time.pendingTimers, 0, 'a task that runs forever sets no timer');
  });

  it('stops a task whose essential container exits, with its exit code, then forgets it after cleanup', async () => {
    const h = await harness({ runMs: 1000, exitCode: 3 }, { cleanupWaitMs: 5000 });
    const a = assignment();
    await h.engine.apply(a);
    await h.time.advance(100);
    const startedAt = h.last(a.taskArn).startedAt!;
    await h.time.advance(1000);
    const stopped = h.last(a.taskArn);
    assert.equal(stopped.lastStatus, 'STOPPED');
    assert.equal(stopped.seq, 3);
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    assert.equal(stopped.executionStoppedAt, startedAt + 1000);
    assert.equal(stopped.containers[0].exitCode, 3);
    assert.equal(stopped.containers[0].lastStatus, 'STOPPED');
    assert.deepEqual(h.engine.knownTasks(), [{ taskArn: a.taskArn, version: 1 }]);
    await h.time.advance(5000);
    assert.deepEqual(h.engine.knownTasks(), [], 'cleaned up');
    await h.engine.apply({ ...a, version: 2 });
    assert.equal(h.of(a.taskArn).length, 3, 'an assignment for a cleaned-up task is ignored');
  });

  it('is idempotent by assignment version and keeps seq growing by one per report', async () => {
    const h = await harness();
    const a = assignment();
    await Promise.all([h.engine.apply(a), h.engine.apply(a)]);
    await h.engine.apply(a);
    assert.equal(h.of(a.taskArn).length, 1);
    await h.time.advance(100);
    await h.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 1 });
    assert.equal(h.last(a.taskArn).lastStatus, 'RUNNING', 'same version: ignored');
    assert.deepEqual(h.engine.knownTasks(), [{ taskArn: a.taskArn, version: 1 }]);
    await h.engine.apply({ ...a, desiredStatus: 'STOPPED', stopCode: 'UserInitiated', version: 3 });
    await h.engine.apply({ ...a, version: 2 });
    await h.time.advance(50);
    assert.deepEqual(
      h.of(a.taskArn).map((r) => [r.seq, r.lastStatus]),
      [
        [1, 'PENDING'],
        [2, 'RUNNING'],
        [3, 'STOPPING'],
        [4, 'STOPPED'],
      ],
    );
    assert.deepEqual(h.engine.knownTasks(), [{ taskArn: a.taskArn, version: 3 }]);
    assert.deepEqual(h.engine.latestReports(), [h.last(a.taskArn)]);
    h.engine.acknowledge(a.taskArn, 4);
    assert.equal(h.engine.task(a.taskArn)?.ackedSeq, 4);
  });

  it('honours StopTask: STOPPING with the stop code and reason, STOPPED after the stop delay (exit 143)', async () => {
    const h = await harness({ stopDelayMs: 700 });
    const a = assignment();
    await h.engine.apply(a);
    await h.time.advance(100);
    const stopAt = h.time.now();
    await h.engine.apply({
      ...a,
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'done testing',
      version: 2,
    });
    const stopping = h.last(a.taskArn);
    assert.equal(stopping.lastStatus, 'STOPPING');
    assert.equal(stopping.stoppingAt, stopAt);
    assert.equal(stopping.stopCode, 'UserInitiated');
    assert.equal(stopping.stoppedReason, 'done testing');
    await h.time.advance(700);
    const stopped = h.last(a.taskArn);
    assert.equal(stopped.lastStatus, 'STOPPED');
    assert.equal(stopped.executionStoppedAt, stopAt + 700);
    assert.equal(stopped.containers[0].exitCode, 143);
  });

  it('kills a container at its stopTimeout when the stop delay is longer (exit 137)', async () => {
    const h = await harness({ stopDelayMs: 60_000 });
    const a = assignment([{ name: 'slow', image: 'app:1', stopTimeout: 2 }]);
    await h.engine.apply(a);
    await h.time.advance(100);
    await h.engine.apply({ ...a, desiredStatus: 'STOPPED', stopCode: 'UserInitiated', version: 2 });
    await h.time.advance(1999);
    assert.equal(h.last(a.taskArn).lastStatus, 'STOPPING');
    await h.time.advance(1);
    assert.equal(h.last(a.taskArn).lastStatus, 'STOPPED');
    assert.equal(h.last(a.taskArn).containers[0].exitCode, 137);
  });

  it('stops a task that has not started yet at once, its containers never created', async () => {
    const h = await harness();
    const a = assignment();
    await h.engine.apply(a);
    await h.engine.apply({ ...a, desiredStatus: 'STOPPED', stopCode: 'UserInitiated', version: 2 });
    const stopped = h.last(a.taskArn);
    assert.deepEqual(
      h.of(a.taskArn).map((r) => r.lastStatus),
      ['PENDING', 'STOPPED'],
    );
    assert.equal(stopped.startedAt, undefined);
    assert.equal(stopped.containers[0].lastStatus, 'STOPPED');
    assert.equal(stopped.containers[0].exitCode, undefined);
    assert.equal(stopped.containers[0].runtimeId, undefined);
    await h.time.advance(1000);
    assert.equal(h.of(a.taskArn).length, 2, 'it never starts');
  });

  it('reports health for containers with a health check: healthy, unhealthy, or never (none)', async () => {
    for (const [health, expected] of [
      ['healthy', 'HEALTHY'],
      ['unhealthy', 'UNHEALTHY'],
      ['none', 'UNKNOWN'],
    ] as const) {
      const h = await harness({ health, healthDelayMs: 300 });
      const a = assignment([
        { name: 'web', image: 'web:1', healthCheck: HEALTH_CHECK },
        { name: 'sidecar', image: 'side:1', essential: false },
      ]);
      await h.engine.apply(a);
      await h.time.advance(100);
      const running = h.last(a.taskArn);
      assert.equal(running.lastStatus, 'RUNNING');
      assert.equal(running.containers[0].healthStatus, 'UNKNOWN', 'health starts UNKNOWN');
      assert.equal(running.healthStatus, 'UNKNOWN');
      assert.equal(running.containers[1].healthStatus, undefined, 'no check, no health');
      await h.time.advance(300);
      const later = h.last(a.taskArn);
      assert.equal(later.containers[0].healthStatus, expected, health);
      assert.equal(later.healthStatus, expected, health);
      assert.equal(later.seq, expected === 'UNKNOWN' ? 2 : 3);
    }
  });

  it('lets container labels override the profile per container; a non-essential exit keeps the task running', async () => {
    const h = await harness();
    const a = assignment([
      {
        name: 'main',
        image: 'app:1',
        dockerLabels: { 'longshore.simulation.run-ms': '500', 'longshore.simulation.exit-code': '7' },
      },
      {
        name: 'init',
        image: 'init:1',
        essential: false,
        dockerLabels: { 'longshore.simulation.run-ms': '10' },
      },
    ]);
    await h.engine.apply(a);
    await h.time.advance(110);
    const afterInit = h.last(a.taskArn);
    assert.equal(afterInit.lastStatus, 'RUNNING');
    assert.equal(afterInit.containers[1].lastStatus, 'STOPPED');
    assert.equal(afterInit.containers[1].exitCode, 0);
    await h.time.advance(490);
    const stopped = h.last(a.taskArn);
    assert.equal(stopped.lastStatus, 'STOPPED');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.containers[0].exitCode, 7);
  });

  it('fails tasks it cannot run: an unsupported network mode, or no free host port', async () => {
    const h = await harness({}, { hostPortRange: { from: 40000, to: 40000 } });
    const awsvpc = assignment(undefined, { networkMode: 'awsvpc' });
    await h.engine.apply(awsvpc);
    const failed = h.last(awsvpc.taskArn);
    assert.equal(failed.lastStatus, 'STOPPED');
    assert.equal(failed.stopCode, 'TaskFailedToStart');
    assert.match(
      failed.stoppedReason ?? '',
      /^ResourceInitializationError: the task uses network mode awsvpc but its assignment carries no network interface/,
    );
    assert.equal(failed.pullStartedAt, undefined);

    const first = assignment();
    const second = assignment();
    await h.engine.apply(first);
    await h.engine.apply(second);
    assert.equal(h.last(first.taskArn).lastStatus, 'PENDING');
    const noPort = h.last(second.taskArn);
    assert.equal(noPort.lastStatus, 'STOPPED');
    assert.match(
      noPort.stoppedReason ?? '',
      /^ResourceInitializationError: .*no free tcp host port in 40000-40000/,
    );
    // Once the first task stops, its port is free again.
    await h.engine.apply({ ...first, desiredStatus: 'STOPPED', version: 2 });
    const third = assignment();
    await h.engine.apply(third);
    await h.time.advance(100);
    assert.equal(h.last(third.taskArn).containers[0].networkBindings?.[0].hostPort, 40000);
  });

  it('binds static host ports as given and host-mode ports as the container port', async () => {
    const h = await harness();
    const bridge = assignment([
      { name: 'b', image: 'b:1', portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'udp' }] },
    ]);
    const host = assignment([{ name: 'h', image: 'h:1', portMappings: [{ containerPort: 9000 }] }], {
      networkMode: 'host',
    });
    await h.engine.apply(bridge);
    await h.engine.apply(host);
    await h.time.advance(100);
    assert.deepEqual(h.last(bridge.taskArn).containers[0].networkBindings, [
      { bindIP: '0.0.0.0', containerPort: 80, hostPort: 8080, protocol: 'udp' },
    ]);
    assert.deepEqual(h.last(host.taskArn).containers[0].networkBindings, [
      { bindIP: '0.0.0.0', containerPort: 9000, hostPort: 9000, protocol: 'tcp' },
    ]);
  });

  it('keeps its tasks, seqs and timelines across a restart when given a state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-sim-state-'));
    try {
      const stateFile = join(dir, 'sim-state.json');
      const h = await harness({ runMs: 1000 }, { stateFile });
      const a = assignment();
      await h.engine.apply(a);
      await h.time.advance(100);
      await h.engine.stop();
      const again = new SimulatedEngine({
        containerInstanceArn: INSTANCE,
        profile: { runMs: 1000 },
        clock: h.time,
        timers: h.time,
        rng: seededRng('restart'),
        stateFile,
      });
      const reports: TaskReport[] = [];
      again.onReport((r) => reports.push(r));
      await again.start();
      assert.deepEqual(again.knownTasks(), [{ taskArn: a.taskArn, version: 1 }]);
      assert.equal(again.latestReports()[0].seq, 2);
      await again.apply(a);
      assert.equal(reports.length, 0, 'a known task is not started again');
      await h.time.advance(1000);
      assert.deepEqual(
        reports.map((r) => [r.seq, r.lastStatus]),
        [[3, 'STOPPED']],
      );
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
