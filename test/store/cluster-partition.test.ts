/**
 * A network partition between a leading control-plane replica and PostgreSQL (issue 18's
 * multi-host fault test). Two "hosts" are network namespaces joined to this one by veth pairs;
 * PostgreSQL listens on the host ends, and replica A (the leader) and replica B (a follower) run
 * there as `longshore server --store postgres://...` (started with `ip netns exec`). A simulated
 * agent on this host connects to B. Then iptables in A's namespace drops A's traffic to and from
 * PostgreSQL's port:
 *   - B takes the lease and runs the controllers within 10 s (a service created through B gets
 *     its tasks placed);
 *   - A stops leading (it says so in its log) and, once its copy has been unconfirmed for ~5 s,
 *     answers reads with ServiceUnavailable (5xx) instead of stale data;
 *   - after the partition heals, A serves again as a follower (it sees what B wrote, B keeps the
 *     lease), and no task was started twice for one RunTask or service.
 * Namespaces (and with them the iptables rules and the namespace ends of the veths), the host ends
 * and every child process are removed at the end, also when the test fails.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  type ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import pg from 'pg';
import { waitFor } from '../support/agents.ts';
import {
  canNetns,
  clusterFixture,
  iptables,
  leaseHolderPid,
  NETNS_SKIP,
  type NetHost,
  netHosts,
  onHost,
} from '../support/cluster-fixture.ts';
import { ecsClient } from '../support/control-plane.ts';
import { startPostgres } from '../support/postgres.ts';

/** The failover target (ARCHITECTURE.md section 6: leader failover <= 10 s). */
const FAILOVER_LIMIT_MS = 10_000;
/**
 * Reads fail once the mirror has been unconfirmed 5 s and a shared probe has had 2 s to answer
 * (docs/cluster-mode.md): 6.5-8.5 s measured. A read sent just before the copy turns stale waits
 * out the retry window and is cut by READ_TIMEOUT_MS; the next one then fails within the probe's
 * 2 s: at worst about 11 s after the cut.
 */
const STALE_READS_FAIL_BY_MS = 11_500;
/** A read that has not answered in this long counts as no answer. */
const READ_TIMEOUT_MS = 3_000;
/** How long the partition lasts. */
const PARTITION_MS = 15_000;
/** After healing: TCP retransmissions back off to several seconds while packets are dropped. */
const REJOIN_LIMIT_MS = 30_000;

/** Two /30s of their own per run (10.253.<n>.0/30 and .4/30; ecr-other-host uses 10.254). */
const HOSTS = netHosts('lsc', '10.253', ['a', 'b']);

/** The iptables rules that cut `host` from PostgreSQL's port (both directions), in its namespace. */
const partitionRules = (host: NetHost, port: number) => [
  ['OUTPUT', '-p', 'tcp', '-d', host.hostIp, '--dport', String(port), '-j', 'DROP'],
  ['INPUT', '-p', 'tcp', '-s', host.hostIp, '--sport', String(port), '-j', 'DROP'],
];

/** The outcome of one read: an answer, a server fault, or nothing within the time allowed. */
type ReadOutcome = { at: number; kind: 'ok' | 'fault' | 'no answer'; code?: string; status?: number };

async function read(ecs: ECSClient, since: number): Promise<ReadOutcome> {
  try {
    await ecs.send(new ListServicesCommand({ cluster: 'part' }), {
      abortSignal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    return { at: performance.now() - since, kind: 'ok' };
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 500)
      return { at: performance.now() - since, kind: 'fault', code: e.name, status };
    if (status !== undefined) throw error;
    return { at: performance.now() - since, kind: 'no answer', code: e.name };
  }
}

async function tasksOf(ecs: ECSClient, filter: { serviceName?: string; family?: string }): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const out = await ecs.send(new ListTasksCommand({ cluster: 'part', desiredStatus, ...filter }));
    arns.push(...(out.taskArns ?? []));
  }
  return arns;
}

if (!canNetns) {
  it('a partition between the leader and PostgreSQL', { skip: NETNS_SKIP }, () => {});
} else {
  it('a partitioned leader is replaced within 10 s, stops serving stale reads, and rejoins as a follower', {
    timeout: 90_000,
  }, async (t) => {
    const fixture = clusterFixture(t, 'partition');
    await fixture.addHosts(HOSTS.a, HOSTS.b);
    const postgres = await startPostgres({
      listen: [HOSTS.a.hostIp, HOSTS.b.hostIp],
      trust: [`${HOSTS.a.nsIp}/32`, `${HOSTS.b.nsIp}/32`],
    });
    fixture.defer(() => postgres.close());
    const url = await postgres.createDatabase();
    const urlFrom = (host: NetHost) => {
      const u = new URL(url);
      u.hostname = host.hostIp;
      return u.toString();
    };
    const db = new pg.Client({ connectionString: url });
    db.on('error', () => {});
    await db.connect();
    fixture.defer(() => db.end());
    const holderPid = () => leaseHolderPid(db);

    // Replicas share the key files and the root credentials (docs/cluster-mode.md).
    const dirs = fixture.replicaDirs(['a', 'b']);
    const replica = (name: 'a' | 'b') =>
      fixture.replica(dirs[name], urlFrom(HOSTS[name]), { host: HOSTS[name].nsIp, via: onHost(HOSTS[name]) });
    const a = await replica('a');
    assert.equal(await holderPid(), a.child.pid, `replica A leads (it started first)\n${a.output()}`);
    const b = await replica('b');
    const ecsA = ecsClient(a.endpoint);
    const ecsB = ecsClient(b.endpoint);
    fixture.defer(() => {
      ecsA.destroy();
      ecsB.destroy();
    });

    // A simulated agent on this host, connected to B.
    await ecsA.send(new CreateClusterCommand({ clusterName: 'part' }));
    const agent = fixture.simAgent('agent', [b.endpoint], 'part');
    await waitFor(
      'the agent to connect',
      async () => {
        const listed = await ecsB.send(new ListContainerInstancesCommand({ cluster: 'part' }));
        const arn = listed.containerInstanceArns?.[0];
        if (!arn) return undefined;
        const got = await ecsB.send(
          new DescribeContainerInstancesCommand({ cluster: 'part', containerInstances: [arn] }),
        );
        return got.containerInstances?.[0].agentConnected ? true : undefined;
      },
      20_000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${agent.output()}`));

    // The leader's controllers at work: a service created and a task run through A.
    await ecsA.send(
      new RegisterTaskDefinitionCommand({
        family: 'part-app',
        containerDefinitions: [{ name: 'app', image: 'sim:1', memory: 64, cpu: 16 }],
      }),
    );
    await ecsA.send(
      new CreateServiceCommand({
        cluster: 'part',
        serviceName: 's1',
        taskDefinition: 'part-app',
        desiredCount: 2,
      }),
    );
    const ran = await ecsA.send(new RunTaskCommand({ cluster: 'part', taskDefinition: 'part-app' }));
    assert.equal(ran.tasks?.length, 1, JSON.stringify(ran.failures));
    await waitFor(
      'the leader to place s1 on the agent',
      async () => ((await tasksOf(ecsB, { serviceName: 's1' })).length === 2 ? true : undefined),
      15_000,
    );

    // One more task asked of A just before the cut: its placement may be in flight when it comes.
    await ecsA.send(new UpdateServiceCommand({ cluster: 'part', service: 's1', desiredCount: 3 }));
    const pgPort = postgres.port;
    await iptables(HOSTS.a, '-A', partitionRules(HOSTS.a, pgPort));
    const cutAt = performance.now();
    const sinceCut = () => performance.now() - cutAt;

    // A's reads, every 250 ms for the rest of the partition.
    const readsA: ReadOutcome[] = [];
    const polling = (async () => {
      while (sinceCut() < PARTITION_MS) {
        readsA.push(await read(ecsA, cutAt));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // B takes over: a service created through B gets its tasks.
    await ecsB.send(
      new CreateServiceCommand({
        cluster: 'part',
        serviceName: 's2',
        taskDefinition: 'part-app',
        desiredCount: 2,
      }),
    );
    await waitFor(
      "B's controllers to place s2",
      async () => ((await tasksOf(ecsB, { serviceName: 's2' })).length === 2 ? true : undefined),
      FAILOVER_LIMIT_MS + 5_000,
      50,
    ).catch((error: Error) => assert.fail(`${error.message}\nA:\n${a.output()}\nB:\n${b.output()}`));
    const placedAfter = sinceCut();
    console.log(`# B placed a service's tasks ${Math.round(placedAfter)} ms after the partition`);
    assert.ok(
      placedAfter <= FAILOVER_LIMIT_MS,
      `B's controllers acted ${Math.round(placedAfter)} ms after the cut`,
    );
    assert.equal(await holderPid(), b.child.pid, 'B holds the lease');

    await polling;
    const lostAt = a.output().indexOf('lost the leader lease');
    assert.ok(lostAt >= 0, `A logs that it stopped leading\n${a.output()}`);
    console.log(
      `# A's reads during the partition: ${readsA.map((r) => `${Math.round(r.at)}ms ${r.kind}${r.code ? ` ${r.code}` : ''}`).join(', ')}`,
    );

    // Heal: A serves again, as a follower that sees what B wrote.
    await iptables(HOSTS.a, '-D', partitionRules(HOSTS.a, pgPort));
    const healedAt = performance.now();
    await waitFor(
      'A to serve again and see the service created through B',
      async () => {
        const out = await ecsA.send(new ListServicesCommand({ cluster: 'part' }), {
          abortSignal: AbortSignal.timeout(3_000),
        });
        return out.serviceArns?.some((arn) => arn.endsWith('/s2')) ? true : undefined;
      },
      REJOIN_LIMIT_MS,
      250,
    ).catch((error: Error) => assert.fail(`${error.message}\nA:\n${a.output()}`));
    console.log(`# A served again ${Math.round(performance.now() - healedAt)} ms after the heal`);
    // Late writes of A's old term, if any, would land now.
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(await holderPid(), b.child.pid, 'B keeps the lease; A is a follower');
    assert.ok(
      !a.output().slice(lostAt).includes('holds the leader lease'),
      'A did not lead again after the partition',
    );

    // Exactly one task per RunTask and per desired service task, as seen from both replicas.
    for (const [name, ecs] of [
      ['A', ecsA],
      ['B', ecsB],
    ] as const) {
      const s1 = await tasksOf(ecs, { serviceName: 's1' });
      const s2 = await tasksOf(ecs, { serviceName: 's2' });
      const all = await tasksOf(ecs, {});
      assert.equal(s1.length, 3, `${name}: s1 (desired 3) has 3 tasks, not ${s1.length}`);
      assert.equal(s2.length, 2, `${name}: s2 (desired 2) has 2 tasks, not ${s2.length}`);
      assert.equal(all.length, 6, `${name}: 3 + 2 service tasks and 1 RunTask task, not ${all.length}`);
      assert.equal(new Set(all).size, all.length);
    }

    // Checked last so that the scenario above runs whatever it shows.
    await t.test('A answers reads during the partition with ServiceUnavailable, not stale data', () => {
      const firstFault = readsA.find((r) => r.kind === 'fault');
      assert.ok(
        firstFault && firstFault.at <= STALE_READS_FAIL_BY_MS,
        `A answers a read with a server fault within ${STALE_READS_FAIL_BY_MS} ms of the cut ` +
          `(each read waits ${READ_TIMEOUT_MS} ms); it answered: ${JSON.stringify(readsA)}`,
      );
      assert.equal(firstFault.code, 'ServiceUnavailable');
      const later = readsA.filter((r) => r.at > firstFault.at && r.kind !== 'fault');
      assert.deepEqual(
        later,
        [],
        'once A has refused a read for staleness, it answers no read (stale) until healed',
      );
    });
  });
}
