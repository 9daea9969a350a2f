/**
 * Store-level throughput, SQLite (embedded) vs PostgreSQL (cluster mode), same run:
 * DescribeTaskDefinition-like reads (a get by family:revision, and the family's latest by prefix
 * listing) and RegisterTaskDefinition-like writes (list the family, put the next revision 'absent').
 * PostgreSQL runs on a throwaway local server (test/support/postgres.ts, fsync off).
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/store-bench.ts [--seconds 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../src/store/store.ts';
import { startPostgres } from '../test/support/postgres.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const SECONDS = Number(values.seconds);
const FAMILIES = 20;
const REVISIONS = 50;
/** Writers in flight at once (the API serves many requests concurrently). */
const CONCURRENCY = 16;

function taskDefinition(family: string, revision: number) {
  return {
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:${revision}`,
      family,
      revision,
      status: 'ACTIVE',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      cpu: '256',
      memory: '512',
      containerDefinitions: Array.from({ length: 2 }, (_, i) => ({
        name: `c${i}`,
        image: `registry.example/app-${i}:1.${revision}`,
        cpu: 128,
        memory: 256,
        essential: i === 0,
        portMappings: [{ containerPort: 8080 + i, hostPort: 0, protocol: 'tcp' }],
        environment: Array.from({ length: 8 }, (_, j) => ({
          name: `VAR_${j}`,
          value: `value-${j}-${revision}`,
        })),
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
      })),
      registeredAt: 1_700_000_000 + revision,
    },
    tags: [],
  };
}

const key = (family: string, revision: number) => `${family}:${String(revision).padStart(6, '0')}`;

async function seed(store: Store): Promise<void> {
  for (let f = 0; f < FAMILIES; f++)
    await store.transact(async (tx) => {
      for (let r = 1; r <= REVISIONS; r++)
        await tx.put(Kind.TaskDefinition, key(`fam${f}`, r), taskDefinition(`fam${f}`, r), 'absent');
    });
}

/** Runs `op` back to back on `concurrency` workers for SECONDS; returns ops per second. */
async function rate(concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i += concurrency) {
        await op(i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

interface Figures {
  get: number;
  latest: number;
  syncGet?: number;
  put: number;
}

async function measure(store: Store, sync?: () => Promise<void>): Promise<Figures> {
  await seed(store);
  const get = await rate(1, (i) =>
    store.get(Kind.TaskDefinition, key(`fam${i % FAMILIES}`, 1 + (i % REVISIONS))),
  );
  const latest = await rate(1, async (i) => {
    const revisions = await store.list(Kind.TaskDefinition, { prefix: `fam${i % FAMILIES}:` });
    return revisions.at(-1);
  });
  const syncGet = sync
    ? await rate(CONCURRENCY, async (i) => {
        await sync();
        return store.get(Kind.TaskDefinition, key(`fam${i % FAMILIES}`, 1 + (i % REVISIONS)));
      })
    : undefined;
  let next = 0;
  const put = await rate(CONCURRENCY, () => {
    const family = `put${next++ % 64}`;
    return store.transact(async (tx) => {
      const revisions = await tx.list(Kind.TaskDefinition, { prefix: `${family}:` });
      const revision = revisions.length + 1;
      await tx.put(Kind.TaskDefinition, key(family, revision), taskDefinition(family, revision), 'absent');
    });
  });
  return { get, latest, syncGet, put };
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

const dir = mkdtempSync(join(tmpdir(), 'longshore-store-bench-'));
const sqlite = SqliteStore.open(join(dir, 'db.sqlite'));
const sqliteFigures = await measure(sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

const server = await startPostgres();
try {
  const url = await server.createDatabase();
  const replica = await PostgresStore.open(url);
  const pgFigures = await measure(replica, () => replica.sync());
  // A second replica writing beside the first: commits of both go through one head-row lock.
  const other = await PostgresStore.open(url);
  let n = 0;
  const write = (store: PostgresStore, tag: string) =>
    store.transact(async (tx) => {
      const k = `${tag}${n++}`;
      await tx.put(Kind.TaskDefinition, key(k, 1), taskDefinition(k, 1), 'absent');
    });
  const [onA, onB] = await Promise.all([
    rate(CONCURRENCY, () => write(replica, 'a')),
    rate(CONCURRENCY, () => write(other, 'b')),
  ]);
  await other.close();
  await replica.close();

  console.log(`store bench, ${SECONDS} s per figure, ${FAMILIES} families x ${REVISIONS} revisions`);
  console.log('| operation | SQLite | PostgreSQL | PostgreSQL / SQLite |');
  console.log('|---|---:|---:|---:|');
  const row = (name: string, s: number, p: number) =>
    console.log(`| ${name} | ${fmt(s)}/s | ${fmt(p)}/s | ${(p / s).toFixed(2)} |`);
  row('get (DescribeTaskDefinition family:revision)', sqliteFigures.get, pgFigures.get);
  row('list family, take latest (DescribeTaskDefinition family)', sqliteFigures.latest, pgFigures.latest);
  console.log(
    `| sync() + get (read barrier, ${CONCURRENCY} in flight) | - | ${fmt(pgFigures.syncGet)}/s | - |`,
  );
  row(
    `put next revision (RegisterTaskDefinition, ${CONCURRENCY} in flight)`,
    sqliteFigures.put,
    pgFigures.put,
  );
  console.log(
    `| put, two replicas writing at once (sum) | - | ${fmt(onA + onB)}/s (${fmt(onA)} + ${fmt(onB)}) | - |`,
  );
} finally {
  await server.close();
}
