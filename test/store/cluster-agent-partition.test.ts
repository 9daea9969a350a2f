/**
 * An agent partitioned from every replica for a minute (issue 18, "Bad input and faults"). The
 * agent's "host" is a network namespace joined to this one by a veth pair; two `longshore server`
 * replicas listen on the host end (PostgreSQL on 127.0.0.1), and a simulated agent runs in the
 * namespace (`ip netns exec`) given both endpoints. A service of 3 tasks runs on it. Then iptables
 * in the namespace drops everything between the agent and the replicas for 60 s:
 *   - the instance shows agentConnected false once the replica holding the session has heard
 *     nothing for three heartbeats (HEARTBEAT_MS 10 s, agent-hub.ts: 20-40 s after the cut);
 *   - the service starts nothing meanwhile: Longshore's service scheduler (src/controllers/service/)
 *     does not look at agentConnected, so tasks of a disconnected instance keep counting, as in ECS
 *     (their last reported state stands); the test asserts exactly that the task set is unchanged;
 *   - after the heal the agent reconnects without restarting its tasks (same ARNs, same startedAt),
 *     the instance is connected again, and the service has exactly 3 RUNNING tasks, each started once.
 * A second test cuts the agent off from the replica holding its session only: it should move to
 * the other one about when that replica drops the session: the agent's channel drops a connection
 * silent for three heartbeats (channel-client.ts) and reconnects to the next endpoint.
 * The namespace (and with it the rules and the veth), the processes and the database's server are
 * removed at the end, also when a test fails.
 */
import assert from 'node:assert/strict';
import { after, it, type TestContext } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  type ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { HEARTBEAT_MS } from '../../src/channel/agent-hub.ts';
import { waitFor } from '../support/agents.ts';
import {
  canNetns,
  channelConnections,
  clusterFixture,
  iptables,
  NETNS_SKIP,
  netHosts,
  onHost,
  registeredArn,
  serviceTasks as clusterServiceTasks,
} from '../support/cluster-fixture.ts';
import { ecsClient } from '../support/control-plane.ts';
import { sharedPostgres } from '../support/postgres.ts';

const CLUSTER = 'cut';
const SERVICE = 'web';
const DESIRED = 3;
/** The minute. */
const PARTITION_MS = 60_000;
/**
 * When the hub drops a silent session: its sweep runs every HEARTBEAT_MS and drops a session
 * silent for 3 x HEARTBEAT_MS; the agent last spoke at most one heartbeat before the cut. So the
 * instance turns disconnected between 2 and 4 heartbeats after the cut (20-40 s), plus slack: a
 * poll and a commit before, and after, timers late on a loaded 2-core CI box (measured ~38 s).
 */
const DISCONNECTED_AFTER_MS = 2 * HEARTBEAT_MS - 1_000;
const DISCONNECTED_BY_MS = 4 * HEARTBEAT_MS + 8_000;
const POLL_MS = 500;

/** The agent's namespace: 10.252.<n>.0/30 (cluster-partition uses 10.253, ecr-other-host 10.254). */
const HOSTS = netHosts('lsg', '10.252', ['g']);
const agentHost = HOSTS.g;
/** Everything between the agent's namespace and the replicas' address, both ways. */
const cutRules = [
  ['OUTPUT', '-d', agentHost.hostIp, '-j', 'DROP'],
  ['INPUT', '-s', agentHost.hostIp, '-j', 'DROP'],
];

const serviceTasks = (ecs: ECSClient) => clusterServiceTasks(ecs, CLUSTER, SERVICE);

async function connected(ecs: ECSClient, instanceArn: string): Promise<boolean | undefined> {
  const out = await ecs.send(
    new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [instanceArn] }),
  );
  return out.containerInstances?.[0]?.agentConnected;
}

/** What the test compares: a task's identity and state. */
const view = (t: Task) => `${t.taskArn} ${t.lastStatus}/${t.desiredStatus} started ${t.startedAt?.getTime()}`;
const ms = (n: number) => `${Math.round(n)} ms`;

const availability = canNetns ? await sharedPostgres() : { skip: NETNS_SKIP };
if ('skip' in availability) {
  it('an agent partitioned from every replica for a minute', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  after(() => server.close());

  /** Two replicas on the veth's host end, the agent in its namespace given both, a service of 3 tasks on it. */
  const setup = async (t: TestContext) => {
    const fixture = clusterFixture(t, 'agent-partition');
    await fixture.addHosts(agentHost);
    const url = await server.createDatabase();
    const dirs = fixture.replicaDirs(['a', 'b']);
    const a = await fixture.replica(dirs.a, url, { host: agentHost.hostIp });
    const b = await fixture.replica(dirs.b, url, { host: agentHost.hostIp });
    const ecs = ecsClient(a.endpoint);
    fixture.defer(() => ecs.destroy());

    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const agent = fixture.simAgent('agent', [a.endpoint, b.endpoint], CLUSTER, { via: onHost(agentHost) });
    const instanceArn = await waitFor(
      'the agent in its namespace to connect',
      async () => {
        const arn = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER })))
          .containerInstanceArns?.[0];
        return arn && (await connected(ecs, arn)) ? arn : undefined;
      },
      30_000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${agent.output()}`));
    assert.equal(instanceArn, registeredArn(agent));

    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'cut-app',
        containerDefinitions: [{ name: 'app', image: 'sim:1', memory: 64, cpu: 16 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: 'cut-app',
        desiredCount: DESIRED,
      }),
    );
    const before = await waitFor(
      'the service to run its tasks on the agent',
      async () => {
        const tasks = await serviceTasks(ecs);
        return tasks.length === DESIRED && tasks.every((x) => x.lastStatus === 'RUNNING') ? tasks : undefined;
      },
      20_000,
    );
    return { fixture, a, b, ecs, agent, instanceArn, before };
  };

  it('an agent partitioned from every replica for a minute is marked disconnected, nothing is started in its place, and it comes back with its tasks', {
    timeout: 170_000,
  }, async (t) => {
    const { a, ecs, agent, instanceArn, before } = await setup(t);
    const beforeView = before.map(view).sort();

    // The cut: nothing between the agent and any replica, for a minute.
    const connectionsBefore = channelConnections(agent).length;
    await iptables(agentHost, '-A', cutRules);
    const cutAt = performance.now();
    let disconnectedAt: number | undefined;
    const duringCut: string[] = [];
    while (performance.now() - cutAt < PARTITION_MS) {
      const isConnected = await connected(ecs, instanceArn);
      if (isConnected === false && disconnectedAt === undefined) disconnectedAt = performance.now() - cutAt;
      if (isConnected === true && disconnectedAt !== undefined)
        duringCut.push(`${ms(performance.now() - cutAt)}: connected again during the cut`);
      const now = (await serviceTasks(ecs)).map(view).sort();
      if (JSON.stringify(now) !== JSON.stringify(beforeView))
        duringCut.push(`${ms(performance.now() - cutAt)}: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    await iptables(agentHost, '-D', cutRules);
    const healedAt = performance.now();
    console.log(
      `# the instance turned disconnected ${disconnectedAt === undefined ? 'never' : ms(disconnectedAt)} after the cut`,
    );

    // Back: the agent reconnects, to either replica.
    await waitFor(
      'the agent to reconnect after the heal',
      async () =>
        channelConnections(agent).length > connectionsBefore && (await connected(ecs, instanceArn))
          ? true
          : undefined,
      60_000,
      250,
    ).catch((error: Error) => assert.fail(`${error.message}\n${agent.output()}`));
    const reconnectedAfter = performance.now() - healedAt;
    console.log(
      `# the agent reconnected ${ms(reconnectedAfter)} after the heal, to ${channelConnections(agent).at(-1) === a.endpoint ? 'A' : 'B'}`,
    );
    assert.equal(agent.child.exitCode, null, 'the agent kept running');

    // Converged: exactly the tasks of before, not restarted, and nothing started twice.
    await new Promise((r) => setTimeout(r, 2_000));
    const afterTasks = await serviceTasks(ecs);
    assert.deepEqual(
      afterTasks.map(view).sort(),
      beforeView,
      'the same 3 tasks, RUNNING, with the same startedAt',
    );
    const described = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    const service = described.services?.[0];
    assert.equal(service?.runningCount, DESIRED);
    const started = (service?.events ?? [])
      .filter((e) => /has started \d+ tasks:/.test(e.message ?? ''))
      .flatMap((e) => [...(e.message ?? '').matchAll(/\(task ([0-9a-f]+)\)/g)].map((m) => m[1]));
    assert.deepEqual(
      started.sort(),
      before.map((x) => x.taskArn?.split('/').pop()).sort(),
      'the service started each of its 3 tasks once, and no other',
    );
    assert.equal(await connected(ecs, instanceArn), true);

    // Checked last, so that the whole scenario runs whatever they show.
    await t.test('during the cut: disconnected after the liveness timeout, and nothing started', () => {
      assert.ok(
        disconnectedAt !== undefined &&
          disconnectedAt >= DISCONNECTED_AFTER_MS &&
          disconnectedAt <= DISCONNECTED_BY_MS,
        `agentConnected turns false ${DISCONNECTED_AFTER_MS}-${DISCONNECTED_BY_MS} ms after the cut; it did at ${disconnectedAt}`,
      );
      assert.deepEqual(duringCut, [], 'the task set (ARNs, states, startedAt) is unchanged during the cut');
    });
  });

  it('an agent cut off from the replica holding its session (only) moves to another replica', {
    timeout: 120_000,
  }, async (t) => {
    const { a, b, ecs, agent, instanceArn, before } = await setup(t);
    assert.equal(channelConnections(agent).at(-1), a.endpoint, 'the agent starts on A, its first endpoint');
    const port = new URL(a.endpoint).port;
    const rules = [
      ['OUTPUT', '-p', 'tcp', '-d', agentHost.hostIp, '--dport', port, '-j', 'DROP'],
      ['INPUT', '-p', 'tcp', '-s', agentHost.hostIp, '--sport', port, '-j', 'DROP'],
    ];
    await iptables(agentHost, '-A', rules);
    const cutAt = performance.now();
    // A drops the silent session 20-40 s after the cut (agent-hub.ts's sweep); the agent drops its
    // side once the control plane has been silent for three heartbeats (30-40 s, channel-client.ts)
    // and reaches B, its next endpoint, within its first reconnect delay (< 250 ms).
    const limit = DISCONNECTED_BY_MS + 5_000;
    await waitFor(
      'the agent to move to B',
      async () =>
        channelConnections(agent).at(-1) === b.endpoint && (await connected(ecs, instanceArn))
          ? true
          : undefined,
      limit,
      250,
    ).catch(async (error: Error) =>
      assert.fail(
        `${error.message}: the agent still holds its half-open connection to A (its channel connected only to ` +
          `${JSON.stringify(channelConnections(agent))}; the instance's agentConnected is now ` +
          `${String(await connected(ecs, instanceArn))}). ChannelClient (src/agent/channel/channel-client.ts) ` +
          'should drop a connection the control plane has been silent on for three heartbeats.',
      ),
    );
    console.log(`# the agent moved to B ${ms(performance.now() - cutAt)} after the cut`);
    const afterTasks = await serviceTasks(ecs);
    assert.deepEqual(afterTasks.map(view).sort(), before.map(view).sort(), 'its tasks are untouched');
  });
}
