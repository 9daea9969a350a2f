/**
 * Benches that need many records write them straight into a stopped control plane's SQLite store
 * (tasks need a connected agent to be placed through RunTask), shaped exactly as RunTask shapes them.
 */
import { join } from 'node:path';
import { seededRng } from '../src/core/clock.ts';
import { ChangeFeed } from '../src/ecs/model/changes.ts';
import type { EcsContext } from '../src/ecs/model/context.ts';
import { keys, type TaskDefinitionRecord } from '../src/ecs/model/records.ts';
import { newTask } from '../src/ecs/model/tasks/new-task.ts';
import { SnapshotCache } from '../src/ecs/model/tasks/snapshot-cache.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../src/store/store.ts';

/** An ECS context over the SQLite store in `dataDir` (us-east-1, account 000000000000). */
export function benchContext(dataDir: string): EcsContext {
  const store = SqliteStore.open(join(dataDir, 'longshore.db'));
  return {
    store,
    clock: { now: () => Date.now() },
    rng: seededRng(1),
    partition: { region: 'us-east-1', accountId: '000000000000' },
    config: { stoppedTaskRetentionMs: 86_400_000, pollEndpoint: '' },
    changes: new ChangeFeed(store),
    snapshots: new SnapshotCache(),
  };
}

/**
 * `count` tasks of revision 1 of `family` in `cluster`, on `instanceArns` in turn, 5,000 per
 * transaction; the store is closed afterwards.
 */
export async function seedTasks(
  dataDir: string,
  options: { cluster: string; family: string; count: number; instanceArns: readonly string[] },
): Promise<void> {
  const ctx = benchContext(dataDir);
  const { store } = ctx;
  const td = (await store.get<TaskDefinitionRecord>(
    Kind.TaskDefinition,
    keys.taskDefinition(options.family, 1),
  ))!.value;
  for (let start = 0; start < options.count; start += 5_000) {
    await store.transact(async (tx) => {
      for (let i = start; i < Math.min(options.count, start + 5_000); i++) {
        const record = newTask(ctx, {
          clusterName: options.cluster,
          clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${options.cluster}`,
          taskDefinition: td.taskDefinition as never,
          group: `family:${options.family}`,
          tags: [],
          launchType: 'EC2',
          containerInstanceArn: options.instanceArns[i % options.instanceArns.length],
          reservation: {
            cpu: 0,
            memory: 32,
            gpu: 0,
            tcpPorts: [],
            udpPorts: [],
            dynamicTcpPorts: 0,
            dynamicUdpPorts: 0,
          },
        });
        await tx.put(
          Kind.Task,
          keys.task(options.cluster, record.task.taskArn?.split('/').pop() ?? ''),
          record,
        );
      }
    });
  }
  await store.close();
}
