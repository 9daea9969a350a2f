import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { waitFor } from '../support/agents.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import {
  counts,
  describe as describeService,
  registerTd,
  sampler,
  serviceTasks,
  simAgents,
  waitSteady,
} from './support.ts';

const CLUSTER = 'sim';

describe('service controller on simulated agents', () => {
  let t: TestPlane;
  let sim: SimulatedCluster;
  const tasksOf = (service: string) => serviceTasks(t.plane.store, CLUSTER, service);
  const create = (serviceName: string, taskDefinition: string, desiredCount: number, extra: object = {}) =>
    t.ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition, desiredCount, ...extra }),
    );
  const update = (service: string, extra: object) =>
    t.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service, ...extra }));

  before(async () => {
    // Tasks without a health check count as healthy after 500 ms RUNNING (ECS waits 40 s).
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 500 } } });
    sim = await simAgents(t.plane.endpoint, CLUSTER, 3);
    await registerTd(t.ecs, 'web');
    await registerTd(t.ecs, 'web');
    await registerTd(t.ecs, 'checked', { healthCheck: true });
    await registerTd(t.ecs, 'checked', { healthCheck: true, labels: { 'health-delay-ms': '300' } });
  });
  after(async () => {
    await sim?.stop();
    await t?.stop();
  });

  it('scales up to the desired count, placed as ECS places service tasks, and reports it', async () => {
    const { service } = await create('up', 'web:1', 4);
    const deploymentId = service?.deployments?.[0].id ?? '';
    const steady = await waitSteady(t.ecs, CLUSTER, 'up');
    assert.equal(steady.runningCount, 4);
    assert.equal(steady.pendingCount, 0);
    assert.equal(steady.deployments?.[0].rolloutStateReason, `ECS deployment ${deploymentId} completed.`);
    const messages = (steady.events ?? []).map((e) => e.message);
    assert.equal(messages[0], '(service up) has reached a steady state.');
    assert.equal(messages[1], `(service up) (deployment ${deploymentId}) deployment completed.`);
    assert.match(
      messages.at(-1) ?? '',
      /^\(service up\) has started 4 tasks: (\(task [0-9a-f]{32}\) ?){4}\.$/,
    );
    const tasks = await tasksOf('up');
    assert.equal(tasks.length, 4);
    for (const task of tasks) {
      assert.equal(task.task.group, 'service:up');
      assert.equal(task.task.startedBy, deploymentId);
    }
    // ECS's default spread over zones: 4 tasks over 3 zones -> 2/1/1.
    const zones = new Map<string, number>();
    for (const task of tasks)
      zones.set(task.task.availabilityZone ?? '', (zones.get(task.task.availabilityZone ?? '') ?? 0) + 1);
    assert.deepEqual([...zones.values()].sort(), [1, 1, 2]);
  });

  it('scales down, stopping tasks as the service scheduler', async () => {
    await update('up', { desiredCount: 1 });
    const steady = await waitSteady(t.ecs, CLUSTER, 'up');
    assert.equal(steady.runningCount, 1);
    const stopped = (await tasksOf('up')).filter((x) => x.task.desiredStatus === 'STOPPED');
    assert.equal(stopped.length, 3);
    for (const x of stopped) {
      assert.equal(x.task.stopCode, 'ServiceSchedulerInitiated');
      assert.equal(
        x.task.stoppedReason,
        `Scaling activity initiated by (deployment ${steady.deployments?.[0].id})`,
      );
    }
    assert.ok(
      steady.events?.some((e) => /^\(service up\) has stopped 3 running tasks: /.test(e.message ?? '')),
    );
  });

  it('replaces a task that stops', async () => {
    const [running] = (await tasksOf('up')).filter((x) => x.task.lastStatus === 'RUNNING');
    await t.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: running.task.taskArn, reason: 'chaos' }));
    await waitFor('a replacement', async () => {
      const live = (await tasksOf('up')).filter((x) => x.task.desiredStatus === 'RUNNING');
      return live.length === 1 &&
        live[0].task.taskArn !== running.task.taskArn &&
        live[0].task.lastStatus === 'RUNNING'
        ? live
        : undefined;
    });
  });

  it('rolls a new task definition within min 50% / max 100% without breaking either', async () => {
    await create('roll', 'checked:1', 4, {
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
    });
    await waitSteady(t.ecs, CLUSTER, 'roll');
    const watch = sampler(() => tasksOf('roll'), true);
    const { service } = await update('roll', { taskDefinition: 'checked:2' });
    assert.equal(service?.deployments?.length, 2);
    const steady = await waitSteady(t.ecs, CLUSTER, 'roll');
    const seen = await watch.stop();
    assert.ok(seen.samples > 5);
    assert.ok(seen.maxHolding <= 4, `max 100% broken: ${seen.maxHolding} tasks held capacity`);
    assert.ok(seen.minHealthy >= 2, `min 50% broken: ${seen.minHealthy} healthy`);
    assert.match(steady.taskDefinition ?? '', /checked:2$/);
    const live = (await tasksOf('roll')).filter((x) => x.task.desiredStatus === 'RUNNING');
    assert.ok(live.every((x) => x.task.taskDefinitionArn?.endsWith('checked:2')));
  });

  it('starts new tasks before stopping old ones with min 100% / max 200%', async () => {
    const watch = sampler(() => tasksOf('roll'), true);
    await update('roll', {
      taskDefinition: 'checked:1',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    });
    await waitSteady(t.ecs, CLUSTER, 'roll');
    const seen = await watch.stop();
    assert.ok(seen.maxHolding <= 8 && seen.maxHolding > 4, `held ${seen.maxHolding}`);
    assert.ok(seen.minHealthy >= 4, `min 100% broken: ${seen.minHealthy} healthy`);
  });

  it('replaces a task whose container health check fails, after the grace period', async () => {
    const sick = await registerTd(t.ecs, 'sick', { healthCheck: true, labels: { health: 'unhealthy' } });
    await create('sick', sick, 1, { healthCheckGracePeriodSeconds: 1 });
    const stopped = await waitFor(
      'a health-check replacement',
      async () => {
        const stopped = (await tasksOf('sick')).filter(
          (x) =>
            x.task.stoppedReason === 'Task failed container health checks' && x.task.lastStatus === 'STOPPED',
        );
        return stopped.length >= 2 ? stopped : undefined;
      },
      10_000,
    );
    for (const x of stopped) {
      // UNHEALTHY 200 ms after RUNNING, but left alone for the 1 s grace period.
      const ran = (x.task.stoppingAt ?? x.task.stoppedAt ?? 0) - (x.task.startedAt ?? 0);
      assert.ok(ran >= 1, `stopped ${ran} s after it started, inside the grace period`);
      assert.equal(x.task.stopCode, 'ServiceSchedulerInitiated');
    }
    const s = await describeService(t.ecs, CLUSTER, 'sick');
    assert.ok(
      s.events?.some((e) =>
        /^\(service sick\) \(task [0-9a-f]{32}\) failed container health checks\.$/.test(e.message ?? ''),
      ),
    );
    await update('sick', { desiredCount: 0 });
  });

  it('backs off launches that keep failing to start, with ECS event', async () => {
    const broken = await registerTd(t.ecs, 'broken', { extra: { pidMode: 'task' } });
    await create('throttled', broken, 1);
    const s = await waitFor(
      'the throttle event',
      async () => {
        const d = await describeService(t.ecs, CLUSTER, 'throttled');
        return d.events?.some(
          (e) => e.message === '(service throttled) is unable to consistently start tasks successfully.',
        )
          ? d
          : undefined;
      },
      10_000,
    );
    const failed = (await tasksOf('throttled')).filter((x) => x.task.stopCode === 'TaskFailedToStart');
    assert.equal(failed.length, 3);
    // The next launch waits 10 s: nothing new starts meanwhile.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal((await tasksOf('throttled')).length, 3);
    assert.equal(s.deployments?.[0].rolloutState, 'IN_PROGRESS');
    await t.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'throttled', force: true }));
  });

  it('fails a crash-looping deployment with the circuit breaker and rolls back to the last completed one', async () => {
    const crash = await registerTd(t.ecs, 'crash', { labels: { 'run-ms': '150', 'exit-code': '1' } });
    const breaker = { deploymentCircuitBreaker: { enable: true, rollback: true } };
    await create('cb', 'web:1', 3, { deploymentConfiguration: breaker });
    const first = await waitSteady(t.ecs, CLUSTER, 'cb');
    const original = (await tasksOf('cb')).map((x) => x.task.taskArn).sort();
    const { service } = await update('cb', { taskDefinition: crash });
    const failedId = service?.deployments?.[0].id ?? '';
    const back = await waitFor(
      'the rollback to complete',
      async () => {
        const s = await describeService(t.ecs, CLUSTER, 'cb');
        const messages = (s.events ?? []).map((e) => e.message);
        return messages.includes(
          `(service cb) (deployment ${failedId}) deployment failed: tasks failed to start.`,
        ) &&
          s.deployments?.length === 1 &&
          s.deployments[0].rolloutState === 'COMPLETED'
          ? s
          : undefined;
      },
      15_000,
    );
    assert.equal(back.deployments?.[0].id, first.deployments?.[0].id);
    assert.match(back.taskDefinition ?? '', /web:1$/);
    assert.ok(
      back.events?.some(
        (e) => e.message === `(service cb) rolling back to deployment ${first.deployments?.[0].id}.`,
      ),
    );
    // The completed deployment's tasks were never touched.
    const running = (await tasksOf('cb'))
      .filter((x) => x.task.desiredStatus === 'RUNNING')
      .map((x) => x.task.taskArn);
    assert.deepEqual(running.sort(), original);
    const crashed = (await tasksOf('cb')).filter((x) => x.task.taskDefinitionArn === crash);
    assert.ok(
      crashed.length >= 3 &&
        crashed.every((x) => x.task.lastStatus === 'STOPPED' || x.task.desiredStatus === 'STOPPED'),
    );
  });

  it('lists and describes service deployments, and rolls back on StopServiceDeployment', async () => {
    const listed = await t.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'cb' }));
    const statuses = (listed.serviceDeployments ?? []).map((d) => d.status);
    assert.deepEqual(statuses, ['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const [failed, good] = listed.serviceDeployments ?? [];
    assert.match(
      failed.serviceDeploymentArn ?? '',
      /^arn:aws:ecs:us-east-1:000000000000:service-deployment\/sim\/cb\/\d{19}$/,
    );
    const described = await t.ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [failed.serviceDeploymentArn!, `${good.serviceDeploymentArn}0`],
      }),
    );
    assert.deepEqual(described.failures, [{ arn: `${good.serviceDeploymentArn}0`, reason: 'MISSING' }]);
    const view = described.serviceDeployments?.[0];
    assert.equal(view?.deploymentCircuitBreaker?.status, 'TRIGGERED');
    assert.equal(view?.deploymentCircuitBreaker?.threshold, 3);
    assert.ok((view?.deploymentCircuitBreaker?.failureCount ?? 0) >= 3);
    assert.equal(view?.rollback?.serviceRevisionArn, good.targetServiceRevisionArn);
    assert.equal(view?.sourceServiceRevisions?.[0].arn, good.targetServiceRevisionArn);
    // A deployment whose tasks never start stays IN_PROGRESS until it is stopped.
    const stuck = await registerTd(t.ecs, 'stuck', { labels: { 'start-ms': '60000' } });
    await update('cb', { taskDefinition: stuck });
    const [inProgress] =
      (
        await t.ecs.send(
          new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'cb', status: ['IN_PROGRESS'] }),
        )
      ).serviceDeployments ?? [];
    assert.ok(inProgress);
    await t.ecs.send(
      new StopServiceDeploymentCommand({
        serviceDeploymentArn: inProgress.serviceDeploymentArn,
        stopType: 'ROLLBACK',
      }),
    );
    const back = await waitSteady(t.ecs, CLUSTER, 'cb');
    assert.match(back.taskDefinition ?? '', /web:1$/);
    const after = await t.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [inProgress.serviceDeploymentArn!] }),
    );
    assert.equal(after.serviceDeployments?.[0].status, 'ROLLBACK_SUCCESSFUL');
    const conflict = await awsError(() =>
      t.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: inProgress.serviceDeploymentArn })),
    );
    assert.equal(conflict.name, 'ConflictException');
  });

  it('without rollback, a failed deployment stops launching and stays PRIMARY', async () => {
    const crash = await registerTd(t.ecs, 'crash', { labels: { 'run-ms': '150', 'exit-code': '1' } });
    await create('cbn', 'web:1', 2, {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    await waitSteady(t.ecs, CLUSTER, 'cbn');
    await update('cbn', { taskDefinition: crash });
    const failed = await waitFor(
      'FAILED',
      async () => {
        const s = await describeService(t.ecs, CLUSTER, 'cbn');
        return s.deployments?.[0].rolloutState === 'FAILED' ? s : undefined;
      },
      10_000,
    );
    const [primary, old] = failed.deployments ?? [];
    assert.equal(primary.status, 'PRIMARY');
    assert.equal(primary.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
    assert.ok((primary.failedTasks ?? 0) >= 3);
    assert.equal(old.status, 'ACTIVE');
    assert.equal(old.runningCount, 2);
    const launched = (await tasksOf('cbn')).length;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await tasksOf('cbn')).length, launched);
  });

  it('deletes a service: DRAINING while its tasks stop, then INACTIVE', async () => {
    const { service } = await t.ecs.send(
      new DeleteServiceCommand({ cluster: CLUSTER, service: 'roll', force: true }),
    );
    assert.equal(service?.status, 'DRAINING');
    const gone = await waitFor('INACTIVE', async () => {
      const s = await describeService(t.ecs, CLUSTER, 'roll');
      return s.status === 'INACTIVE' ? s : undefined;
    });
    assert.equal(gone.desiredCount, 0);
    const left = counts(await tasksOf('roll'), false);
    assert.equal(left.healthy, 0);
  });
});
