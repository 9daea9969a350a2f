/**
 * The leader killed with kill -9 in the middle of a rolling deployment (issue 18, "Bad input and
 * faults"). Three `longshore server` replicas on one PostgreSQL database (A starts first and
 * leads), three simulated agents (`longshore agent --runtime simulated`), each given every
 * replica's endpoint (each list starting with another replica, so one agent is on A), and a
 * service of 6 tasks with minimumHealthyPercent 50 and maximumPercent 150. UpdateService to a new
 * revision starts a rollout; as soon as its first task exists, A is SIGKILLed. Then:
 *   - B or C takes the lease and the deployment completes: PRIMARY COMPLETED, 6 RUNNING tasks, all
 *     of the new revision;
 *   - polled on B every ~150 ms from before the update to the end, the service never had fewer
 *     healthy RUNNING tasks than the minimum (3) nor more tasks holding capacity than the maximum (9);
 *   - nothing was started twice: 6 tasks per deployment, each started once (the service events
 *     name every task exactly once), and no task's startedAt ever changed;
 *   - the agent that was connected to A moves to another replica (it lists every endpoint) and its
 *     tasks are untouched: those the rollout did not stop run on with the same startedAt.
 * Child processes and the database's server are stopped at the end, also when the test fails.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type Deployment,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  type ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  type Task,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import pg from 'pg';
import { waitFor } from '../support/agents.ts';
import {
  channelConnections,
  clusterFixture,
  leaseHolderPid,
  registeredArn,
  serviceTasks as clusterServiceTasks,
} from '../support/cluster-fixture.ts';
import { ecsClient } from '../support/control-plane.ts';
import { sharedPostgres } from '../support/postgres.ts';

const CLUSTER = 'roll';
const SERVICE = 'web';
const DESIRED = 6;
const MIN_PERCENT = 50;
const MAX_PERCENT = 150;
/** ceil(6 x 50%) healthy tasks at least, floor(6 x 150%) tasks holding capacity at most (deployment-math.ts). */
const FLOOR = Math.ceil((DESIRED * MIN_PERCENT) / 100);
const CEILING = Math.floor((DESIRED * MAX_PERCENT) / 100);
const POLL_MS = 150;
/** Failover (~6.7 s, docs/cluster-mode.md) plus the rest of the rollout. */
const COMPLETE_LIMIT_MS = 45_000;

/**
 * Both revisions have a container health check, so a task counts toward the minimum once its
 * (simulated) check says HEALTHY rather than 40 s after it reached RUNNING; the new revision's
 * tasks take 1 s to start and 4 s more to turn healthy, so the rollout is still under way when the
 * leader dies and its last step (stopping the old tasks that hold the minimum) is the new leader's.
 */
const container = (image: string, labels: Record<string, string>) => ({
  name: 'app',
  image,
  memory: 64,
  cpu: 16,
  healthCheck: { command: ['CMD-SHELL', 'exit 0'], interval: 5, timeout: 2, retries: 1 },
  dockerLabels: labels,
});

interface Sample {
  at: number;
  /** RUNNING, desired RUNNING and HEALTHY: what minimumHealthyPercent counts. */
  healthy: number;
  /** Not yet STOPPED (PROVISIONING, PENDING, RUNNING, STOPPING, told to stop or not): what maximumPercent counts. */
  total: number;
  tasks: Task[];
}

const serviceTasks = (ecs: ECSClient) => clusterServiceTasks(ecs, CLUSTER, SERVICE);

async function describeService(ecs: ECSClient): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  const service = out.services?.[0];
  assert.ok(service, JSON.stringify(out.failures));
  return service;
}

const primaryOf = (s: Service): Deployment | undefined => s.deployments?.find((d) => d.status === 'PRIMARY');
const ms = (n: number) => `${Math.round(n)} ms`;

const availability = await sharedPostgres();
if ('skip' in availability) {
  it('the leader killed with kill -9 mid-rollout', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  it('the leader killed with kill -9 mid-rollout: another replica completes the deployment within min and max, nothing started twice', {
    timeout: 120_000,
  }, async (t) => {
    const fixture = clusterFixture(t, 'rollout-kill');
    fixture.defer(() => server.close());
    const url = await server.createDatabase();
    const db = new pg.Client({ connectionString: url });
    db.on('error', () => {});
    await db.connect();
    fixture.defer(() => db.end());

    const dirs = fixture.replicaDirs(['a', 'b', 'c']);
    const a = await fixture.replica(dirs.a, url);
    assert.equal(await leaseHolderPid(db), a.child.pid, `replica A leads (it started first)\n${a.output()}`);
    const b = await fixture.replica(dirs.b, url);
    const c = await fixture.replica(dirs.c, url);
    const replicas = [a, b, c];
    const endpoints = replicas.map((r) => r.endpoint);
    const ecsA = ecsClient(a.endpoint);
    const ecsB = ecsClient(b.endpoint);
    fixture.defer(() => {
      ecsA.destroy();
      ecsB.destroy();
    });

    await ecsA.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    // Agent i is given every replica, starting with replica i: one agent per replica at first.
    const agents = endpoints.map((_, i) =>
      fixture.simAgent(`agent-${i}`, [...endpoints.slice(i), ...endpoints.slice(0, i)], CLUSTER),
    );
    await waitFor(
      'the three agents to connect',
      async () => {
        const arns =
          (await ecsB.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ??
          [];
        if (arns.length < 3) return undefined;
        const out = await ecsB.send(
          new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: arns }),
        );
        return out.containerInstances?.every((i) => i.agentConnected) ? true : undefined;
      },
      30_000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${agents.map((g) => g.output()).join('\n')}`));
    const onA = agents.filter((g) => channelConnections(g)[0] === a.endpoint);
    assert.equal(onA.length, 1, 'one agent starts on replica A');

    const v1 = await ecsA.send(
      new RegisterTaskDefinitionCommand({
        family: 'roll-app',
        containerDefinitions: [container('sim:1', {})],
      }),
    );
    await ecsA.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: v1.taskDefinition?.taskDefinitionArn,
        desiredCount: DESIRED,
        deploymentConfiguration: { minimumHealthyPercent: MIN_PERCENT, maximumPercent: MAX_PERCENT },
        // Two tasks per agent, so the agent on A has tasks when A dies.
        placementStrategy: [{ type: 'spread', field: 'instanceId' }],
      }),
    );
    const firstDeployment = await waitFor(
      'the first deployment to complete',
      async () => {
        const primary = primaryOf(await describeService(ecsB));
        return primary?.rolloutState === 'COMPLETED' ? primary : undefined;
      },
      30_000,
    );
    const agentOnA = onA[0];
    const instanceOnA = registeredArn(agentOnA);
    assert.ok(instanceOnA, agentOnA.output());
    const beforeTasks = await serviceTasks(ecsB);
    assert.equal(
      beforeTasks.filter((t) => t.containerInstanceArn === instanceOnA && t.lastStatus === 'RUNNING').length,
      2,
      'the agent on A runs two of the tasks (spread over instances)',
    );

    // From here to the end: B's view, every POLL_MS.
    const samples: Sample[] = [];
    const sampleErrors: string[] = [];
    const t0 = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          const tasks = await serviceTasks(ecsB);
          samples.push({
            at: performance.now() - t0,
            // ECS's counting (DeploymentConfiguration): the minimum is of RUNNING tasks that are
            // healthy; a task the scheduler has told to stop no longer counts even while it still
            // runs, so only desired-RUNNING ones count. The maximum is of tasks in PENDING, RUNNING
            // or STOPPING, told to stop or not: everything not yet STOPPED. Both are exactly what
            // the scheduler counts (deployment-math.ts), so no tolerance is needed. A task created
            // between the ListTasks and the DescribeTasks of one sample is only counted by the next.
            healthy: tasks.filter(
              (t) =>
                t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY',
            ).length,
            total: tasks.filter((t) => t.lastStatus !== 'STOPPED').length,
            tasks,
          });
        } catch (error) {
          sampleErrors.push(`${ms(performance.now() - t0)}: ${String(error)}`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();
    t.after(async () => {
      polling = false;
      await poller;
    });

    const v2 = await ecsA.send(
      new RegisterTaskDefinitionCommand({
        family: 'roll-app',
        containerDefinitions: [
          container('sim:2', {
            'longshore.simulation.start-ms': '1000',
            'longshore.simulation.health-delay-ms': '4000',
          }),
        ],
      }),
    );
    const v2Arn = v2.taskDefinition?.taskDefinitionArn ?? '';
    await ecsA.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2Arn }));
    const updatedAt = performance.now();
    await waitFor(
      'the rollout to start a task of the new revision',
      async () => (samples.at(-1)?.tasks.some((t) => t.taskDefinitionArn === v2Arn) ? true : undefined),
      15_000,
      20,
    );
    // Kill -9 the leader, mid-rollout.
    assert.equal(await leaseHolderPid(db), a.child.pid, 'A still leads when it is killed');
    const atKill = samples.at(-1);
    assert.ok(atKill);
    const inProgress = primaryOf(await describeService(ecsB));
    assert.equal(inProgress?.rolloutState, 'IN_PROGRESS', 'the rollout is under way when A dies');
    const agentOutputAtKill = channelConnections(agentOnA).length;
    a.child.kill('SIGKILL');
    const killedAt = performance.now();
    console.log(`# A killed ${ms(killedAt - updatedAt)} after UpdateService`);

    const newLeader = await waitFor(
      'B or C to take the lease',
      async () => {
        const pid = await leaseHolderPid(db);
        return pid === b.child.pid || pid === c.child.pid ? pid : undefined;
      },
      15_000,
      50,
    );
    console.log(
      `# ${newLeader === b.child.pid ? 'B' : 'C'} took the lease ${ms(performance.now() - killedAt)} after the kill`,
    );

    const done = await waitFor(
      'the deployment to complete on the new leader',
      async () => {
        const service = await describeService(ecsB);
        const primary = primaryOf(service);
        if (primary?.rolloutState !== 'COMPLETED' || service.deployments?.length !== 1) return undefined;
        const live = (await serviceTasks(ecsB)).filter((t) => t.lastStatus !== 'STOPPED');
        return live.length === DESIRED && live.every((t) => t.lastStatus === 'RUNNING') ? service : undefined;
      },
      COMPLETE_LIMIT_MS,
      200,
    ).catch((error: Error) =>
      assert.fail(
        `${error.message}\nB:\n${b.output()}\nC:\n${c.output()}\nlast sample: ${JSON.stringify(samples.at(-1)?.tasks.map((t) => [t.taskDefinitionArn, t.lastStatus, t.desiredStatus, t.healthStatus]))}`,
      ),
    );
    console.log(`# the deployment completed ${ms(performance.now() - killedAt)} after the kill`);
    // A little longer: a late duplicate or a restart would show now.
    await new Promise((r) => setTimeout(r, 1_500));
    polling = false;
    await poller;

    // The deployment completed on the new revision.
    const primary = primaryOf(done);
    assert.equal(primary?.taskDefinition, v2Arn);
    const final = await serviceTasks(ecsB);
    const running = final.filter((t) => t.lastStatus === 'RUNNING');
    assert.equal(running.length, DESIRED, `${DESIRED} tasks run`);
    assert.ok(
      running.every((t) => t.taskDefinitionArn === v2Arn && t.startedBy === primary?.id),
      'every running task is of the new revision and deployment',
    );

    // Min and max held throughout (the poller must actually have watched).
    assert.deepEqual(sampleErrors, [], 'B answered every poll');
    const gaps = samples.slice(1).map((s, i) => s.at - samples[i].at);
    assert.ok(
      samples.length >= 20 && Math.max(...gaps) < 1_500,
      `${samples.length} samples, the longest gap ${ms(Math.max(...gaps))}: B watched throughout`,
    );
    const fewest = samples.reduce((m, s) => (s.healthy < m.healthy ? s : m));
    const most = samples.reduce((m, s) => (s.total > m.total ? s : m));
    console.log(
      `# ${samples.length} samples: fewest healthy ${fewest.healthy} (min ${FLOOR}), most tasks ${most.total} (max ${CEILING})`,
    );
    const show = (s: Sample) =>
      JSON.stringify(
        s.tasks.map(
          (t) =>
            `${t.taskDefinitionArn?.split(':').pop()} ${t.lastStatus}/${t.desiredStatus} ${t.healthStatus}`,
        ),
      );
    assert.ok(
      fewest.healthy >= FLOOR,
      `at ${ms(fewest.at)} only ${fewest.healthy} healthy tasks: ${show(fewest)}`,
    );
    assert.ok(most.total <= CEILING, `at ${ms(most.at)} ${most.total} tasks held capacity: ${show(most)}`);

    // Nothing started twice: 6 tasks per deployment, each named once in "has started" events.
    const perDeployment = new Map<string, Set<string>>();
    for (const task of final) {
      const set = perDeployment.get(task.startedBy ?? '') ?? new Set();
      set.add(task.taskArn ?? '');
      perDeployment.set(task.startedBy ?? '', set);
    }
    assert.deepEqual(
      [...perDeployment].map(([id, arns]) => [id, arns.size]).sort(),
      [
        [firstDeployment.id, DESIRED],
        [primary?.id, DESIRED],
      ].sort(),
      'each deployment started exactly 6 tasks',
    );
    const startedIds: string[] = [];
    for (const event of done.events ?? []) {
      if (!/has started \d+ tasks:/.test(event.message ?? '')) continue;
      for (const m of (event.message ?? '').matchAll(/\(task ([0-9a-f]+)\)/g)) startedIds.push(m[1]);
    }
    assert.deepEqual(
      startedIds.sort(),
      final.map((t) => t.taskArn?.split('/').pop() ?? '').sort(),
      'the service events name every task once, and no other',
    );

    // No task restarted: each one's startedAt, once set, never changed.
    const startedAt = new Map<string, number>();
    const restarted: string[] = [];
    for (const s of samples) {
      for (const task of s.tasks) {
        const at = task.startedAt?.getTime();
        if (at === undefined) continue;
        const seen = startedAt.get(task.taskArn ?? '');
        if (seen !== undefined && seen !== at) restarted.push(`${task.taskArn}: ${seen} -> ${at}`);
        startedAt.set(task.taskArn ?? '', at);
      }
    }
    assert.deepEqual(restarted, [], 'no task started again');

    // The agent that was on A moved to a live replica, and its tasks are untouched.
    await waitFor(
      'the agent of A to be connected to another replica',
      async () => {
        const moved = channelConnections(agentOnA).slice(agentOutputAtKill);
        const out = await ecsB.send(
          new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [instanceOnA] }),
        );
        return moved.some((e) => e !== a.endpoint) && out.containerInstances?.[0].agentConnected
          ? true
          : undefined;
      },
      15_000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${agentOnA.output()}`));
    assert.equal(agentOnA.child.exitCode, null, 'the agent kept running');
    const byArn = new Map(final.map((t) => [t.taskArn, t]));
    for (const before of atKill.tasks.filter(
      (t) => t.containerInstanceArn === instanceOnA && t.lastStatus === 'RUNNING',
    )) {
      const now = byArn.get(before.taskArn);
      assert.ok(now, `${before.taskArn} is still known`);
      if (now.lastStatus === 'RUNNING') {
        assert.equal(
          now.startedAt?.getTime(),
          before.startedAt?.getTime(),
          `${before.taskArn} was not restarted`,
        );
      } else {
        // The rollout replaced it (an old revision's task): stopped by the scheduler, nothing else.
        assert.equal(
          before.taskDefinitionArn,
          v1.taskDefinition?.taskDefinitionArn,
          `${before.taskArn} stopped`,
        );
        assert.match(now.stoppedReason ?? '', /^Scaling activity initiated by \(deployment /);
      }
    }
  });
}
