/**
 * Stopped-task interception on real Docker, with the seed pattern
 * `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"],
 * "stoppedReason":[{"prefix":"Essential container"}]}}`: containers that exit on their own are
 * delivered to a log group (a stream named after the event id) and to an HTTP endpoint on
 * 127.0.0.1 through an API destination with an input transformer, once per task stop; a task
 * stopped by the user matches nothing. Then the control plane runs as a child process and is
 * killed with SIGKILL while the endpoint holds the first attempt open (the stop committed, the
 * delivery not done): restarted on the same data directory, it delivers the event again with the
 * same `id`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { pino } from 'pino';
import type { Agent } from '../../src/agent/agent.ts';
import { startDockerAgent } from '../../src/cli/agent-command.ts';
import { removeAgentContainers, startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { ecsClient, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { type CliProcess, freePort, startCli, stopCli } from '../support/spawn-cli.ts';

const ACCOUNT = '000000000000';
const IMAGE = 'longshore-test/busybox:latest';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/events`;
const SEED_PATTERN = {
  source: ['aws.ecs'],
  'detail-type': ['ECS Task State Change'],
  detail: { lastStatus: ['STOPPED'], stoppedReason: [{ prefix: 'Essential container' }] },
};
const TEMPLATE =
  '{"id": <id>, "task": <task>, "reason": "stopped: <reason>", "group": <group>, "exitCode": <exit>, "rule": <aws.events.rule-name>}';

interface Hook {
  url: string;
  /** Bodies received, in order (JSON). */
  got: Record<string, unknown>[];
  /** Decides per request: answer with a status, or hold it open (`undefined`). */
  answer: (n: number) => number | undefined;
  held: ServerResponse[];
  close(): Promise<void>;
}

async function hookServer(): Promise<Hook> {
  const hook: Hook = { url: '', got: [], answer: () => 200, held: [], close: async () => undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      hook.got.push(JSON.parse(body) as Record<string, unknown>);
      const status = hook.answer(hook.got.length);
      if (status === undefined) hook.held.push(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hook.close = async () => {
    for (const res of hook.held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return hook;
}

function clients(endpoint: string) {
  const opts = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { eb: new EventBridgeClient(opts), logs: new CloudWatchLogsClient(opts) };
}

/** The rule of the seed pattern, delivering to `/ecs/stopped` and, transformed, to the hook. */
async function interception(
  endpoint: string,
  hookUrl: string,
  cluster: string,
  ecs: ECSClient,
): Promise<void> {
  const { eb, logs } = clients(endpoint);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'quitter',
        containerDefinitions: [
          {
            name: 'app',
            image: IMAGE,
            memory: 16,
            essential: true,
            command: ['sh', '-c', 'sleep 1; exit 3'],
          },
        ],
      }),
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/stopped' }));
    const conn = await eb.send(
      new CreateConnectionCommand({
        Name: 'hook',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' } },
      }),
    );
    const dest = await eb.send(
      new CreateApiDestinationCommand({
        Name: 'stopped-hook',
        ConnectionArn: conn.ConnectionArn,
        InvocationEndpoint: `${hookUrl}/stopped`,
        HttpMethod: 'POST',
      }),
    );
    await eb.send(new PutRuleCommand({ Name: 'stopped-tasks', EventPattern: JSON.stringify(SEED_PATTERN) }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'stopped-tasks',
        Targets: [
          { Id: 'log', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/stopped` },
          {
            Id: 'hook',
            Arn: dest.ApiDestinationArn,
            RoleArn: ROLE,
            InputTransformer: {
              InputPathsMap: {
                id: '$.id',
                task: '$.detail.taskArn',
                reason: '$.detail.stoppedReason',
                group: '$.detail.group',
                exit: '$.detail.containers[0].exitCode',
              },
              InputTemplate: TEMPLATE,
            },
          },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
  } finally {
    eb.destroy();
    logs.destroy();
  }
}

async function logged(endpoint: string, id: string): Promise<Record<string, unknown>[] | undefined> {
  const { logs } = clients(endpoint);
  try {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/stopped', logStreamName: id }));
    return out.events?.length ? out.events.map((e) => JSON.parse(e.message ?? '{}')) : undefined;
  } catch {
    return undefined;
  } finally {
    logs.destroy();
  }
}

describe('stopped-task interception on real Docker', () => {
  let t: TestPlane;
  let a: TestAgent;
  let hook: Hook;
  before(async () => {
    t = await startTestPlane();
    hook = await hookServer();
  });
  after(async () => {
    await a?.stop();
    await hook?.close();
    await t?.stop();
  });

  it('delivers each task whose essential container exited to a log group and an HTTP endpoint, once', async () => {
    await interception(t.plane.endpoint, hook.url, 'intercept', t.ecs);
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sleeper',
        containerDefinitions: [
          { name: 'app', image: IMAGE, memory: 16, command: ['sleep', '600'], stopTimeout: 1 },
        ],
      }),
    );
    a = await startTestAgent(t, { cluster: 'intercept' });
    const run = await t.ecs.send(
      new RunTaskCommand({ cluster: 'intercept', taskDefinition: 'quitter', count: 2 }),
    );
    assert.deepEqual(run.failures, []);
    const quitters = run.tasks!.map((task) => task.taskArn!).sort();
    const sleeper = (
      await t.ecs.send(new RunTaskCommand({ cluster: 'intercept', taskDefinition: 'sleeper' }))
    ).tasks![0]!.taskArn!;
    await waitFor(
      'the sleeper RUNNING',
      async () =>
        (await t.ecs.send(new DescribeTasksCommand({ cluster: 'intercept', tasks: [sleeper] }))).tasks?.[0]
          ?.lastStatus === 'RUNNING' || undefined,
      30_000,
    );
    await t.ecs.send(new StopTaskCommand({ cluster: 'intercept', task: sleeper }));

    const bodies = await waitFor(
      'two HTTP deliveries',
      async () => (hook.got.length >= 2 ? hook.got : undefined),
      60_000,
    );
    assert.deepEqual(bodies.map((b) => b.task).sort(), quitters);
    for (const b of bodies) {
      assert.match(String(b.reason), /^stopped: Essential container in task exited$/);
      assert.equal(b.group, 'family:quitter');
      assert.equal(b.exitCode, 3);
      assert.equal(b.rule, 'stopped-tasks');
      assert.match(String(b.id), /^[0-9a-f-]{36}$/);
    }
    assert.notEqual(bodies[0]!.id, bodies[1]!.id, 'one event (one id) per task stop');
    for (const b of bodies) {
      const events = await waitFor('the log event', () => logged(t.plane.endpoint, String(b.id)));
      assert.equal(events.length, 1);
      const event = events[0]!;
      assert.equal(event.id, b.id);
      assert.equal(event.source, 'aws.ecs');
      assert.equal(event['detail-type'], 'ECS Task State Change');
      const detail = event.detail as Record<string, unknown>;
      assert.equal(detail.taskArn, b.task);
      assert.equal(detail.lastStatus, 'STOPPED');
      assert.deepEqual(event.resources, [b.task]);
    }

    // The user-stopped sleeper's STOPPED event went through the rules too, and matched nothing.
    await waitFor(
      'the sleeper STOPPED',
      async () =>
        (await t.ecs.send(new DescribeTasksCommand({ cluster: 'intercept', tasks: [sleeper] }))).tasks?.[0]
          ?.lastStatus === 'STOPPED' || undefined,
      30_000,
    );
    await t.plane.ecsEvents.get('us-east-1')?.idle();
    await t.plane.eventRules.get('us-east-1')!.idle();
    await new Promise((r) => setTimeout(r, 500));
    await t.plane.eventRules.get('us-east-1')!.idle();
    assert.equal(hook.got.length, 2, 'no delivery for the user-stopped task, none twice');
  });
});

describe('a control plane killed between a task stop and its delivery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-eb-kill-'));
  const agentDir = mkdtempSync(join(tmpdir(), 'longshore-eb-kill-agent-'));
  let cli: CliProcess | undefined;
  let agent: Agent | undefined;
  let hook: Hook;
  after(async () => {
    if (agent) {
      await agent.stop().catch(() => undefined);
      await removeAgentContainers(agent.containerInstanceArn);
    }
    if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await hook?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(agentDir, { recursive: true, force: true });
  });

  it('delivers the event after a restart on the same data directory, with the same id', async () => {
    hook = await hookServer();
    // The first attempt is held open: the stop is committed and matched, the delivery not done.
    hook.answer = (n) => (n === 1 ? undefined : 200);
    const port = await freePort();
    const args = ['server', '--port', String(port), '--data-dir', dataDir, '--throttle', '0'];
    cli = await startCli(args);
    const ecs = ecsClient(cli.endpoint);
    try {
      await interception(cli.endpoint, hook.url, 'killed', ecs);
      agent = await startDockerAgent({
        endpoint: cli.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        dataDir: agentDir,
        values: { cluster: 'killed', 'metadata-port': '0', 'cleanup-wait': '2s' },
        log: pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' }),
      });
      const run = await ecs.send(new RunTaskCommand({ cluster: 'killed', taskDefinition: 'quitter' }));
      const task = run.tasks![0]!.taskArn!;
      const first = await waitFor('the first attempt', async () => hook.got[0], 60_000);
      assert.equal(first.task, task);

      const pid = cli.child.pid;
      cli.child.kill('SIGKILL');
      await once(cli.child, 'exit');
      assert.equal(cli.child.signalCode, 'SIGKILL', `pid ${pid} killed`);
      for (const res of hook.held.splice(0)) res.destroy();

      cli = await startCli(args);
      const again = await waitFor('the delivery after the restart', async () => hook.got[1], 30_000);
      assert.equal(again.id, first.id, 'the same event, by its id');
      assert.equal(again.task, task);
      assert.match(String(again.reason), /^stopped: Essential container in task exited$/);
      const events = await waitFor('the log event', () => logged(cli!.endpoint, String(first.id)));
      assert.ok(events.length >= 1 && events.every((e) => e.id === first.id));
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(hook.got.length, 2, 'delivered once after the restart');
    } finally {
      ecs.destroy();
    }
    await agent.stop();
    await removeAgentContainers(agent.containerInstanceArn);
    agent = undefined;
    assert.equal(await stopCli(cli), 0);
  });
});
