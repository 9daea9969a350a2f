/**
 * ECS events emitted per second when every task of a cluster changes state at once: N task
 * records (1,000 and 10,000 by default) in a SQLite store, the emitter started (each task's first
 * event), then one transaction moving every task to RUNNING; the figure is N / time until the
 * emitter is idle again, each event published with its cursor in one transaction. A second run
 * commits the N changes one transaction each (agent reports as they arrive) with the emitter on,
 * against the same writes with it off. Baseline: N bare one-put transactions in the same run.
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/ecs-events-bench.ts [--sizes 1000,10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EcsEventEmitter } from '../src/controllers/ecs-events/ecs-events-emitter.ts';
import { keys, type TaskRecord } from '../src/ecs/model/records.ts';
import { Kind } from '../src/store/store.ts';
import { benchContext } from './seed-store.ts';
import { fmt } from './support.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' } } });
const SIZES = values.sizes.split(',').map(Number);
const CLUSTER = 'bench';
const ARN = 'arn:aws:ecs:us-east-1:000000000000';

function task(i: number, lastStatus: string, version: number): TaskRecord {
  const id = i.toString(16).padStart(32, '0');
  const taskArn = `${ARN}:task/${CLUSTER}/${id}`;
  return {
    clusterName: CLUSTER,
    assignmentVersion: 1,
    reportSeq: version,
    task: {
      taskArn,
      clusterArn: `${ARN}:cluster/${CLUSTER}`,
      taskDefinitionArn: `${ARN}:task-definition/bench:1`,
      containerInstanceArn: `${ARN}:container-instance/${CLUSTER}/${(i % 50).toString(16).padStart(32, '0')}`,
      group: 'family:bench',
      launchType: 'EC2',
      lastStatus,
      desiredStatus: 'RUNNING',
      version,
      cpu: '256',
      memory: '512',
      createdAt: 1_700_000_000 + i / 1000,
      ...(lastStatus === 'RUNNING' ? { startedAt: 1_700_000_100, pullStartedAt: 1_700_000_050 } : {}),
      overrides: { containerOverrides: [{ name: 'app' }], inferenceAcceleratorOverrides: [] },
      containers: [
        {
          containerArn: `${ARN}:container/${CLUSTER}/${id}/${i}`,
          taskArn,
          name: 'app',
          image: 'longshore-bench/app:latest',
          lastStatus,
          networkBindings: [],
          networkInterfaces: [],
          cpu: '256',
          memory: '512',
        },
      ],
    },
  };
}

async function run(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-ecs-events-bench-'));
  const ctx = benchContext(dir);
  try {
    const key = (i: number) => keys.task(CLUSTER, i.toString(16).padStart(32, '0'));
    await ctx.store.transact(async (tx) => {
      for (let i = 0; i < n; i++) await tx.put(Kind.Task, key(i), task(i, 'PENDING', 1));
    });
    const emitter = new EcsEventEmitter(ctx, { resyncMs: 3_600_000 });
    let t0 = performance.now();
    await emitter.start();
    await emitter.idle();
    const first = performance.now() - t0;

    // Every task RUNNING in one commit: the change feed enqueues N keys at once.
    const before = emitter.published;
    t0 = performance.now();
    await ctx.store.transact(async (tx) => {
      for (let i = 0; i < n; i++) await tx.put(Kind.Task, key(i), task(i, 'RUNNING', 2));
    });
    await emitter.idle();
    const burst = performance.now() - t0;
    const told = emitter.published - before;
    if (told !== n) throw new Error(`expected ${n} events, got ${told}`);

    // One commit per task (reports as they arrive), emitter on.
    t0 = performance.now();
    for (let i = 0; i < n; i++)
      await ctx.store.transact((tx) => tx.put(Kind.Task, key(i), task(i, 'STOPPED', 3)));
    await emitter.idle();
    const streamed = performance.now() - t0;
    await emitter.stop();

    // The same writes with no emitter, and the baseline: bare one-put transactions.
    t0 = performance.now();
    for (let i = 0; i < n; i++)
      await ctx.store.transact((tx) => tx.put(Kind.Task, key(i), task(i, 'STOPPED', 4)));
    const writesOnly = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < n; i++)
      await ctx.store.transact((tx) => tx.put(Kind.Meta, `bench/${i}`, task(i, 'STOPPED', 4)));
    const bare = performance.now() - t0;

    const outbox = (await ctx.store.list(Kind.EventOutbox)).length;
    const perSec = (ms: number) => fmt((n / ms) * 1000, 0);
    console.log(`${n} tasks (${outbox} events in the outbox)`);
    console.log(`  first events at start:         ${perSec(first)} events/s (${first.toFixed(0)} ms)`);
    console.log(`  all tasks change in one commit: ${perSec(burst)} events/s (${burst.toFixed(0)} ms)`);
    console.log(
      `  one commit per change:         ${perSec(streamed)} changes+events/s vs ${perSec(writesOnly)} changes/s with no emitter (${(streamed / writesOnly).toFixed(2)}x the time)`,
    );
    console.log(
      `  baseline, bare 1-put commits:  ${perSec(bare)}/s; one emitted event costs ${(burst / n / (bare / n)).toFixed(2)}x a bare commit`,
    );
  } finally {
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const n of SIZES) await run(n);
