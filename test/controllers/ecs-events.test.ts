/**
 * ECS's events on the default bus, end to end on SIMULATED agents: a task's life, a service's
 * deployments and steady state, a placement failure, and a stop committed while no emitter ran
 * (the control plane closed before its event), told once after a restart and never again. Events
 * are read from the outbox as they are committed (delivery may remove them later).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  DescribeTasksCommand,
  type ECSClient,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { type ControlPlane, startControlPlane } from '../../src/cli/control-plane.ts';
import type { EventEnvelope, OutboxRecord } from '../../src/events/model/publish-events.ts';
import { Kind, type Store } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { ecsClient, TEST_CREDENTIALS } from '../support/control-plane.ts';
import { describe as describeService, registerTd, simAgents, waitSteady } from './support.ts';

const CLUSTER = 'events';

interface Plane {
  plane: ControlPlane;
  ecs: ECSClient;
  outbox: Outbox;
  close(): Promise<void>;
}

async function startPlane(dataDir: string, ecsEvents: boolean): Promise<Plane> {
  const plane = await startControlPlane({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials: { ...TEST_CREDENTIALS, source: 'environment' },
    throttle: 0,
    motoReset: false,
    controllers: { service: { uncheckedHealthyAfterMs: 300, placementRetryMs: 200 } },
    ...(ecsEvents ? {} : { ecsEvents: false as const }),
    log: pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' }),
  });
  const ecs = ecsClient(plane.endpoint);
  const outbox = await Outbox.open(plane.ecs.store);
  return {
    plane,
    ecs,
    outbox,
    async close() {
      outbox.close();
      ecs.destroy();
      await plane.close();
    },
  };
}

/** Every event written to the outbox since `open` (and those already there), captured at commit. */
class Outbox {
  readonly #events = new Map<string, EventEnvelope>();
  /** Ids of the events committed while this process watched (not those found at open). */
  readonly committed = new Set<string>();
  #cursor: unknown;
  #unwatch: () => void = () => {};

  static async open(store: Store): Promise<Outbox> {
    const box = new Outbox();
    box.#cursor = store.changesSince(Kind.EventOutbox, '', undefined).cursor;
    box.#unwatch = store.watch((batch) => {
      if (!batch.changes.some((c) => c.kind === Kind.EventOutbox)) return;
      // Synchronous, in the commit's own turn: nothing can have removed the events yet.
      const since = store.changesSince(Kind.EventOutbox, '', box.#cursor);
      box.#cursor = since.cursor;
      // One commit's events share a time; their keys then sort in publishing order.
      const committed = [...(since.changed?.values() ?? [])].sort((x, y) =>
        (x?.key ?? '') < (y?.key ?? '') ? -1 : 1,
      );
      for (const stored of committed) {
        if (!stored) continue;
        const record = stored.value as OutboxRecord;
        box.#add(record);
        box.committed.add(record.event.id);
      }
    });
    for (const r of await store.list<OutboxRecord>(Kind.EventOutbox)) box.#add(r.value);
    return box;
  }

  #add(record: OutboxRecord): void {
    if (record.event.source === 'aws.ecs') this.#events.set(record.event.id, record.event);
  }

  all(detailType?: string): EventEnvelope[] {
    return [...this.#events.values()].filter((e) => !detailType || e['detail-type'] === detailType);
  }

  /** One task's events, in version order. */
  task(taskArn: string): EventEnvelope[] {
    return this.all('ECS Task State Change')
      .filter((e) => e.resources[0] === taskArn)
      .sort((a, b) => (a.detail.version as number) - (b.detail.version as number));
  }

  close(): void {
    this.#unwatch();
  }
}

/** What DescribeTasks said, in the event's form: Dates as ISO strings, undefined members gone. */
function asEventDetail(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(asEventDetail);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, asEventDetail(v)]),
    );
  }
  return value;
}

async function describeTask(ecs: ECSClient, taskArn: string): Promise<Task> {
  const out = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }));
  assert.equal(out.tasks?.length, 1);
  return out.tasks![0];
}

describe('ECS events on the default bus (simulated agents)', () => {
  let dataDir: string;
  let p: Plane;
  let sim: SimulatedCluster;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'longshore-ecs-events-'));
    p = await startPlane(dataDir, true);
    sim = await simAgents(p.plane.endpoint, CLUSTER, 2);
    await registerTd(p.ecs, 'job', { labels: { 'start-ms': '300' } });
    await registerTd(p.ecs, 'web');
    await registerTd(p.ecs, 'web', { labels: { 'start-ms': '150' } });
    await registerTd(p.ecs, 'huge', { memory: 1_000_000 });
  });
  after(async () => {
    await sim?.stop();
    await p?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('tells a task PENDING, RUNNING and STOPPED, each event the task as DescribeTasks shows it', async () => {
    const run = await p.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'job:1' }));
    const taskArn = run.tasks?.[0].taskArn ?? '';
    await waitFor('the task to run', async () =>
      (await describeTask(p.ecs, taskArn)).lastStatus === 'RUNNING' ? true : undefined,
    );
    await p.ecs.send(
      new StopTaskCommand({ cluster: CLUSTER, task: taskArn, reason: 'finished by the test' }),
    );
    const stopped = await waitFor('the STOPPED event', async () =>
      p.outbox.task(taskArn).find((e) => e.detail.lastStatus === 'STOPPED'),
    );
    const events = p.outbox.task(taskArn);
    const statuses = events.map((e) => e.detail.lastStatus);
    assert.equal(statuses[0], 'PENDING', statuses.join());
    assert.ok(statuses.includes('RUNNING'), statuses.join());
    assert.equal(statuses.filter((s) => s === 'STOPPED').length, 1, statuses.join());
    assert.equal(statuses.at(-1), 'STOPPED');
    const versions = events.map((e) => e.detail.version as number);
    assert.deepEqual(
      versions,
      [...new Set(versions)].sort((a, b) => a - b),
      'versions grow',
    );
    // The envelope, as ECS documents it.
    assert.equal(stopped.version, '0');
    assert.equal(stopped.source, 'aws.ecs');
    assert.equal(stopped.account, '000000000000');
    assert.equal(stopped.region, 'us-east-1');
    assert.deepEqual(stopped.resources, [taskArn]);
    assert.match(stopped.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(String(stopped.detail.updatedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The detail is DescribeTasks' task at that version, timestamps as ISO strings.
    const described = await describeTask(p.ecs, taskArn);
    assert.equal(described.version, stopped.detail.version);
    const { updatedAt: _u, ...detail } = stopped.detail;
    assert.deepEqual(detail, asEventDetail(described));
    assert.equal(detail.stoppedReason, 'finished by the test');
    assert.equal(detail.stopCode, 'UserInitiated');
    assert.equal(typeof detail.stoppedAt, 'string');
  });

  it('tells a deployment IN_PROGRESS then COMPLETED, the steady state, and the next deployment', async () => {
    const { service } = await p.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
      }),
    );
    const serviceArn = service?.serviceArn ?? '';
    const first = service?.deployments?.[0].id ?? '';
    await waitSteady(p.ecs, CLUSTER, 'web');
    await p.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: 'web:2' }));
    const updated = await describeService(p.ecs, CLUSTER, 'web');
    const second = updated.deployments?.[0].id ?? '';
    assert.notEqual(second, first);
    await waitSteady(p.ecs, CLUSTER, 'web');
    const deploymentEvents = () =>
      p.outbox.all('ECS Deployment State Change').filter((e) => e.resources[0] === serviceArn);
    await waitFor('the second deployment to be told COMPLETED', async () =>
      deploymentEvents().some(
        (e) => e.detail.deploymentId === second && e.detail.eventName === 'SERVICE_DEPLOYMENT_COMPLETED',
      )
        ? true
        : undefined,
    );
    const told = deploymentEvents().map((e) => [
      e.detail.deploymentId,
      e.detail.eventName,
      e.detail.eventType,
    ]);
    assert.deepEqual(told, [
      [first, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO'],
      [first, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO'],
      [second, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO'],
      [second, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO'],
    ]);
    const completed = deploymentEvents()[3];
    assert.equal(completed.detail.reason, `ECS deployment ${second} completed.`);
    assert.equal(
      completed.detail.updatedAt,
      (await describeService(p.ecs, CLUSTER, 'web')).deployments?.[0].updatedAt?.toISOString(),
    );
    const steady = await waitFor('SERVICE_STEADY_STATE', async () => {
      const found = p.outbox
        .all('ECS Service Action')
        .filter((e) => e.resources[0] === serviceArn && e.detail.eventName === 'SERVICE_STEADY_STATE');
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(Object.keys(steady[0].detail).sort(), [
      'clusterArn',
      'createdAt',
      'eventName',
      'eventType',
    ]);
    assert.equal(steady[0].detail.eventType, 'INFO');
    assert.equal(steady[0].detail.clusterArn, service?.clusterArn);
  });

  it('tells a task that fits nowhere as SERVICE_TASK_PLACEMENT_FAILURE with the reason', async () => {
    const { service } = await p.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'huge',
        taskDefinition: 'huge:1',
        desiredCount: 1,
      }),
    );
    const failure = await waitFor('SERVICE_TASK_PLACEMENT_FAILURE', async () =>
      p.outbox
        .all('ECS Service Action')
        .find(
          (e) =>
            e.resources[0] === service?.serviceArn && e.detail.eventName === 'SERVICE_TASK_PLACEMENT_FAILURE',
        ),
    );
    assert.equal(failure.detail.eventType, 'ERROR');
    assert.equal(failure.detail.reason, 'RESOURCE:MEMORY');
    assert.equal(failure.detail.clusterArn, service?.clusterArn);
    const described = await describeService(p.ecs, CLUSTER, 'huge');
    const event = described.events?.find((e) => e.message?.includes('was unable to place a task'));
    assert.equal(failure.detail.createdAt, event?.createdAt?.toISOString());
    await p.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'huge', desiredCount: 0 }));
  });

  it('tells a circuit-breaker failure (ERROR) before its rollback, and a service whose tasks fail to start', async () => {
    const crash = await registerTd(p.ecs, 'crash', { labels: { 'run-ms': '150', 'exit-code': '1' } });
    const breaker = { deploymentCircuitBreaker: { enable: true, rollback: true } };
    const { service } = await p.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'cb',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: breaker,
      }),
    );
    const good = service?.deployments?.[0].id ?? '';
    await waitSteady(p.ecs, CLUSTER, 'cb');
    const updated = await p.ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'cb', taskDefinition: crash }),
    );
    const bad = updated.service?.deployments?.[0].id ?? '';
    const told = () =>
      p.outbox
        .all('ECS Deployment State Change')
        .filter((e) => e.resources[0] === service?.serviceArn)
        .map((e) => [e.detail.deploymentId, e.detail.eventName, e.detail.eventType, e.detail.reason]);
    await waitFor(
      'the rollback to be told COMPLETED',
      async () => (told().length >= 6 ? true : undefined),
      20_000,
    );
    assert.deepEqual(told(), [
      [good, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', `ECS deployment ${good} in progress.`],
      [good, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO', `ECS deployment ${good} completed.`],
      [bad, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', `ECS deployment ${bad} in progress.`],
      [bad, 'SERVICE_DEPLOYMENT_FAILED', 'ERROR', 'ECS deployment circuit breaker: tasks failed to start.'],
      [
        good,
        'SERVICE_DEPLOYMENT_IN_PROGRESS',
        'INFO',
        `ECS deployment circuit breaker: rolling back to deploymentId ${good}.`,
      ],
      [good, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO', `ECS deployment ${good} completed.`],
    ]);

    // Tasks that stop before they ever run: the launch throttle, ECS's "start impaired".
    const broken = await registerTd(p.ecs, 'broken', { extra: { pidMode: 'task' } });
    const created = await p.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'broken',
        taskDefinition: broken,
        desiredCount: 1,
      }),
    );
    const impaired = await waitFor(
      'SERVICE_TASK_START_IMPAIRED',
      async () =>
        p.outbox
          .all('ECS Service Action')
          .find(
            (e) =>
              e.resources[0] === created.service?.serviceArn &&
              e.detail.eventName === 'SERVICE_TASK_START_IMPAIRED',
          ),
      10_000,
    );
    assert.equal(impaired.detail.eventType, 'WARN');
    await p.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'broken', desiredCount: 0 }));
    await p.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'cb', desiredCount: 0 }));
  });

  it('tells the container instances as DescribeContainerInstances shows them, with their version', async () => {
    const arn = sim.agents[0].agent.containerInstanceArn;
    const event = p.outbox.all('ECS Container Instance State Change').find((e) => e.resources[0] === arn);
    assert.ok(event, 'an event for each registered instance');
    assert.equal(event.detail.containerInstanceArn, arn);
    assert.equal(event.detail.status, 'ACTIVE');
    assert.equal(typeof event.detail.version, 'number');
    assert.ok(Array.isArray(event.detail.remainingResources));
    assert.match(String(event.detail.registeredAt), /Z$/);
  });
});

describe('ECS events across a restart', () => {
  it('tells a stop committed before the control plane closed exactly once after it starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'longshore-ecs-events-restart-'));
    let p = await startPlane(dataDir, false);
    let sim: SimulatedCluster | undefined = await simAgents(p.plane.endpoint, CLUSTER, 1);
    try {
      await registerTd(p.ecs, 'job');
      const run = await p.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'job:1' }));
      const taskArn = run.tasks?.[0].taskArn ?? '';
      await waitFor('the task to run', async () =>
        (await describeTask(p.ecs, taskArn)).lastStatus === 'RUNNING' ? true : undefined,
      );
      await p.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn, reason: 'before the crash' }));
      const stopped = await waitFor('the task to stop', async () => {
        const t = await describeTask(p.ecs, taskArn);
        return t.lastStatus === 'STOPPED' ? t : undefined;
      });
      assert.deepEqual(p.outbox.all(), [], 'no emitter ran: the stop is committed, its event is not');
      await sim.stop();
      sim = undefined;
      await p.close();

      p = await startPlane(dataDir, true);
      const told = await waitFor('the STOPPED event after the restart', async () => {
        const events = p.outbox.task(taskArn);
        return events.length > 0 ? events : undefined;
      });
      await p.plane.ecsEvents.get('us-east-1')?.idle();
      // PENDING and RUNNING came and went while no emitter ran: folded into the one state left.
      assert.deepEqual(
        p.outbox.task(taskArn).map((e) => [e.detail.lastStatus, e.detail.version]),
        [['STOPPED', stopped.version]],
      );
      assert.equal(told[0].detail.stoppedReason, 'before the crash');
      await p.close();

      // Once more: the cursor says the stop was told, so nothing is told again.
      p = await startPlane(dataDir, true);
      const emitter = p.plane.ecsEvents.get('us-east-1');
      await emitter?.resync();
      await emitter?.idle();
      const again = p.outbox.task(taskArn);
      assert.equal(
        again.filter((e) => p.outbox.committed.has(e.id)).length,
        0,
        'no event committed for the task after this start',
      );
      // The outbox still holds the event told before, unless delivery has taken it since.
      assert.ok(again.every((e) => e.id === told[0].id));
    } finally {
      await sim?.stop();
      await p.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
