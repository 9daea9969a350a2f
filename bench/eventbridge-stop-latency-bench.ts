/**
 * Stopped-task interception latency: from a task's STOPPED commit to the HTTP request at an API
 * destination target, p50/p99 over N task stops (100 by default), with the control plane in this
 * process and simulated agents whose containers exit by themselves (exit code 1, after 300 ms of
 * RUNNING) so each stop is "Essential container in task exited". The rule is the seed
 * pattern with an input transformer; the endpoint is a 127.0.0.1 HTTP server here.
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/eventbridge-stop-latency-bench.ts [--tasks 100] [--rules 300]
 *
 * Times: the STOPPED commit is seen on the store's change feed (called right after the commit),
 * the outbox event and the delivery record likewise, the request when the server reads its body.
 * Tasks are started 100 ms apart so stops do not arrive all at once. `--rules` more rules (other
 * sources) sit on the bus. Baseline, same run: a bare POST from this process to the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { pino } from 'pino';
import { startSimulatedAgents } from '../src/agent/simulated/start-simulated-agents.ts';
import { startControlPlane } from '../src/cli/control-plane.ts';
import type { TaskRecord } from '../src/ecs/model/records.ts';
import type { DeliveryRecord } from '../src/events/model/deliveries.ts';
import type { OutboxRecord } from '../src/events/model/publish-events.ts';
import { Kind } from '../src/store/store.ts';
import { BENCH_CREDENTIALS, fmt, percentile } from './support.ts';

const { values } = parseArgs({ options: { tasks: { type: 'string' }, rules: { type: 'string' } } });
const TASKS = Number(values.tasks ?? 100);
const RULES = Number(values.rules ?? 300);
const ACCOUNT = '000000000000';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-eb-latency-'));
  const plane = await startControlPlane({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: ACCOUNT,
    credentials: { ...BENCH_CREDENTIALS, source: 'environment' },
    throttle: 0,
    motoReset: false,
    log: pino({ level: 'warn' }),
  });
  const opts = { endpoint: plane.endpoint, region: 'us-east-1', credentials: BENCH_CREDENTIALS };
  const ecs = new ECSClient(opts);
  const eb = new EventBridgeClient(opts);

  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const at = performance.now();
      const task = (JSON.parse(body) as { task?: string }).task;
      if (task && !received.has(task)) received.set(task, at);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Stage times per task ARN, from the change feed.
  const stopped = new Map<string, number>();
  const outboxed = new Map<string, number>();
  const matched = new Map<string, number>();
  plane.store.watch((batch) => {
    const at = performance.now();
    for (const c of batch.changes) {
      if (c.version === undefined) continue;
      if (c.kind === Kind.Task) {
        void plane.store.get<TaskRecord>(Kind.Task, c.key).then((s) => {
          const t = s?.value.task;
          if (s?.version === c.version && t?.lastStatus === 'STOPPED' && !stopped.has(t.taskArn!))
            stopped.set(t.taskArn!, at);
        });
      } else if (c.kind === Kind.EventOutbox) {
        void plane.store.get<OutboxRecord>(Kind.EventOutbox, c.key).then((s) => {
          const d = s?.value.event.detail as { taskArn?: string; lastStatus?: string } | undefined;
          if (d?.lastStatus === 'STOPPED' && d.taskArn && !outboxed.has(d.taskArn))
            outboxed.set(d.taskArn, at);
        });
      } else if (c.kind === Kind.EventDelivery) {
        void plane.store.get<DeliveryRecord>(Kind.EventDelivery, c.key).then((s) => {
          const d = s?.value.event.detail as { taskArn?: string } | undefined;
          if (d?.taskArn && !matched.has(d.taskArn)) matched.set(d.taskArn, at);
        });
      }
    }
  });

  const agents = await startSimulatedAgents({
    endpoint: plane.endpoint,
    cluster: 'bench',
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    count: 5,
    profile: { startMs: 100, runMs: 300, exitCode: 1, stopDelayMs: 50 },
  });
  try {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'quitter',
        containerDefinitions: [{ name: 'app', image: 'bench/quitter:1', memory: 16, essential: true }],
      }),
    );
    const conn = await eb.send(
      new CreateConnectionCommand({
        Name: 'hook',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'bench' } },
      }),
    );
    const dest = await eb.send(
      new CreateApiDestinationCommand({
        Name: 'hook',
        ConnectionArn: conn.ConnectionArn,
        InvocationEndpoint: `${url}/stopped`,
        HttpMethod: 'POST',
      }),
    );
    const pattern = {
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: { lastStatus: ['STOPPED'], stoppedReason: [{ prefix: 'Essential container' }] },
    };
    await eb.send(new PutRuleCommand({ Name: 'stopped-tasks', EventPattern: JSON.stringify(pattern) }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'stopped-tasks',
        Targets: [
          {
            Id: 'hook',
            Arn: dest.ApiDestinationArn,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/events`,
            InputTransformer: {
              InputPathsMap: { id: '$.id', task: '$.detail.taskArn', reason: '$.detail.stoppedReason' },
              InputTemplate: '{"id": <id>, "task": <task>, "reason": <reason>}',
            },
          },
        ],
      }),
    );
    for (let r = 1; r < RULES; r++) {
      await eb.send(
        new PutRuleCommand({
          Name: `other-${r}`,
          EventPattern: JSON.stringify({
            source: [`custom.app${r % 50}`],
            detail: { n: [{ numeric: ['>', r] }] },
          }),
        }),
      );
      await eb.send(
        new PutTargetsCommand({
          Rule: `other-${r}`,
          Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/other` }],
        }),
      );
    }

    const arns: string[] = [];
    for (let i = 0; i < TASKS; i++) {
      const out = await ecs.send(new RunTaskCommand({ cluster: 'bench', taskDefinition: 'quitter' }));
      if (out.failures?.length) throw new Error(`RunTask: ${JSON.stringify(out.failures)}`);
      arns.push(out.tasks![0]!.taskArn!);
      await new Promise((r) => setTimeout(r, 100));
    }
    const deadline = Date.now() + 60_000;
    while (arns.some((a) => !received.has(a)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const missing = arns.filter((a) => !received.has(a) || !stopped.has(a));
    if (missing.length > 0) throw new Error(`${missing.length} of ${TASKS} stops not delivered`);

    // Baseline, once the stops are delivered: a bare POST to the same server (fetch, as the target uses).
    const bare: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await (await fetch(`${url}/bare`, { method: 'POST', body: '{}' })).arrayBuffer();
      bare.push(performance.now() - t0);
    }

    const stage = (to: Map<string, number>, from: Map<string, number>) =>
      arns.map((a) => to.get(a)! - from.get(a)!).sort((x, y) => x - y);
    const total = stage(received, stopped);
    const toOutbox = stage(outboxed, stopped);
    const toDelivery = stage(matched, outboxed);
    const toHttp = stage(received, matched);
    bare.sort((x, y) => x - y);
    const row = (name: string, v: number[]) =>
      console.log(
        `${name}: p50 ${fmt(percentile(v, 50), 1)} ms, p99 ${fmt(percentile(v, 99), 1)} ms, max ${fmt(v.at(-1)!, 1)} ms`,
      );
    console.log(`task stops: ${TASKS}; rules on the bus: ${RULES}; simulated agents: 5`);
    row('STOPPED commit -> HTTP request at the API destination', total);
    row('  STOPPED commit -> ECS event on the outbox', toOutbox);
    row('  outbox -> delivery record (matched)', toDelivery);
    row('  delivery record -> HTTP request', toHttp);
    row('baseline: bare POST to the same server', bare);
    console.log(
      `ratio p50 end to end / baseline p50: ${fmt(percentile(total, 50) / percentile(bare, 50), 1)}`,
    );
  } finally {
    await agents.stop();
    ecs.destroy();
    eb.destroy();
    server.closeAllConnections();
    server.close();
    await plane.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
