import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Rng, seededRng } from '../../src/core/clock.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../../src/ecs/model/records.ts';
import { clusterSnapshot } from '../../src/ecs/model/tasks/cluster-snapshot.ts';
import { instanceSnapshot, taskOnInstance } from '../../src/ecs/model/tasks/instance-snapshot.ts';
import { SnapshotCache, snapshotInstance } from '../../src/ecs/model/tasks/snapshot-cache.ts';
import { type ClusterSnapshot, place, type PlacementRequest } from '../../src/scheduler/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind, type Reader, type Store } from '../../src/store/store.ts';

const CLUSTER = 'cache';
/** Held as a control plane's context holds it; one per test file is enough (entries are per store lineage). */
const cache = { snapshots: new SnapshotCache() };

/** The snapshot built from scratch, as clusterSnapshot did before it was incremental. */
async function reference(reader: Reader): Promise<ClusterSnapshot> {
  const prefix = `${CLUSTER}/`;
  const instances = await reader.list<ContainerInstanceRecord>(Kind.ContainerInstance, { prefix });
  const held = new Map<string, ReturnType<typeof taskOnInstance>[]>();
  for (const { value } of await reader.list<TaskRecord>(Kind.Task, { prefix })) {
    const arn = value.task.containerInstanceArn;
    if (!arn || value.task.lastStatus === 'STOPPED') continue;
    held.set(arn, [...(held.get(arn) ?? []), taskOnInstance(value)]);
  }
  return {
    instances: instances
      .filter((r) => r.value.instance.status !== 'INACTIVE')
      .map((r) => instanceSnapshot(r.value, held.get(r.value.instance.containerInstanceArn ?? '') ?? [])),
  };
}

function instanceRecord(id: string, rng: Rng): ContainerInstanceRecord {
  return {
    clusterName: CLUSTER,
    instance: {
      containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/${CLUSTER}/${id}`,
      ec2InstanceId: `i-${id.slice(0, 17)}`,
      status: 'ACTIVE',
      agentConnected: true,
      registeredAt: 1_700_000_000,
      versionInfo: { agentVersion: '1.0.0' },
      registeredResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 2048 + Math.floor(rng.next() * 4) * 1024 },
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22'] },
        { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
      ],
      attributes: [
        { name: 'ecs.availability-zone', value: `us-east-1${'abc'[Math.floor(rng.next() * 3)]}` },
        { name: 'longshore.dynamic-host-port-range', value: '40000-40100' },
      ],
    },
  };
}

function taskRecord(id: string, instanceArn: string, rng: Rng): TaskRecord {
  return {
    clusterName: CLUSTER,
    task: {
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/${CLUSTER}/${id}`,
      containerInstanceArn: instanceArn,
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      group: rng.next() < 0.5 ? 'family:web' : 'service:api',
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      containers: [{ name: 'web', lastStatus: 'PENDING' }],
    },
    reservation: {
      cpu: 128,
      memory: 128 * (1 + Math.floor(rng.next() * 4)),
      gpu: 0,
      tcpPorts: [],
      udpPorts: [],
      dynamicTcpPorts: 1,
      dynamicUdpPorts: 0,
    },
    assignmentVersion: 1,
    reportSeq: 0,
  };
}

const request = (i: number): PlacementRequest => ({
  requestId: `r-${i}`,
  resources: {
    cpu: 128,
    memory: 256,
    gpu: 0,
    tcpPorts: [],
    udpPorts: [],
    dynamicTcpPorts: 1,
    dynamicUdpPorts: 0,
    networkMode: 'bridge',
  },
  count: 2,
  group: 'family:web',
  family: 'web',
  placementStrategy: [
    { type: 'spread', field: 'attribute:ecs.availability-zone' },
    { type: 'binpack', field: 'memory' },
  ],
});

/** One random write (or a transaction that rolls back), as the API and the agents' reports make them. */
async function mutate(store: Store, rng: Rng, step: number): Promise<void> {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rng.next() * list.length)];
  const instances = await store.list<ContainerInstanceRecord>(Kind.ContainerInstance);
  const tasks = await store.list<TaskRecord>(Kind.Task);
  const roll = rng.next();
  await store
    .transact(async (tx) => {
      if (instances.length < 3 || roll < 0.04) {
        const id = rng.hex(16);
        await tx.put(Kind.ContainerInstance, `${CLUSTER}/${id}`, instanceRecord(id, rng));
      } else if (roll < 0.08) {
        const r = pick(instances)!;
        const status =
          r.value.instance.status === 'INACTIVE' ? 'ACTIVE' : rng.next() < 0.5 ? 'DRAINING' : 'INACTIVE';
        await tx.put(Kind.ContainerInstance, r.key, {
          ...r.value,
          instance: { ...r.value.instance, status },
        });
      } else if (roll < 0.12) {
        const r = pick(instances)!;
        const instance = { ...r.value.instance, agentConnected: !r.value.instance.agentConnected };
        await tx.put(Kind.ContainerInstance, r.key, { ...r.value, instance });
      } else if (roll < 0.55 || tasks.length === 0) {
        const id = rng.hex(16);
        const arn = pick(instances)!.value.instance.containerInstanceArn ?? '';
        await tx.put(Kind.Task, `${CLUSTER}/${id}`, taskRecord(id, arn, rng));
      } else if (roll < 0.85) {
        const t = pick(tasks)!;
        const lastStatus = t.value.task.lastStatus === 'PENDING' ? 'RUNNING' : 'STOPPED';
        const containers = [
          {
            name: 'web',
            lastStatus,
            networkBindings: [
              { containerPort: 80, hostPort: 40000 + (step % 100), protocol: 'tcp' as const },
            ],
          },
        ];
        await tx.put(Kind.Task, t.key, { ...t.value, task: { ...t.value.task, lastStatus, containers } });
      } else if (roll < 0.92) {
        await tx.remove(Kind.Task, pick(tasks)!.key);
      } else {
        // A writer that fails after writing: nothing of it may show.
        const id = rng.hex(16);
        const arn = pick(instances)!.value.instance.containerInstanceArn ?? '';
        await tx.put(Kind.Task, `${CLUSTER}/${id}`, taskRecord(id, arn, rng));
        await clusterSnapshot(cache, tx, CLUSTER); // the cache sees the uncommitted task...
        throw new Error('rolled back');
      }
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== 'rolled back') throw error;
    });
}

describe('incremental cluster snapshots (RunTask at scale)', () => {
  it('always equal a snapshot built from scratch, and place tasks the same way', async () => {
    const store = SqliteStore.open(':memory:');
    const rng = seededRng('snapshot-cache');
    try {
      for (let step = 0; step < 600; step++) {
        await mutate(store, rng, step);
        if (step % 3 !== 0) continue;
        // Mostly the store's change log; sometimes a reader whose log cannot say, which must list.
        const reader: Reader =
          step % 5 === 0
            ? {
                get: (k, key) => store.get(k, key),
                list: (k, q) => store.list(k, q),
                changesSince: () => ({ cursor: undefined, changed: undefined, pending: [] }),
              }
            : store;
        const cached = await clusterSnapshot(cache, reader, CLUSTER);
        const fresh = await reference(store);
        assert.deepEqual(cached, fresh, `step ${step}`);
        for (const i of fresh.instances) assert.deepEqual(snapshotInstance(cached, i.arn), i);
        // The cached lineage (with its incremental scheduler index) decides like a fresh snapshot.
        assert.deepEqual(place(cached, request(step)).placements, place(fresh, request(step)).placements);
      }
    } finally {
      await store.close();
    }
  });

  it('sees a transaction’s own writes, then forgets them when it rolls back', async () => {
    const store = SqliteStore.open(':memory:');
    const rng = seededRng('tx-view');
    try {
      await store.transact(async (tx) => {
        await tx.put(Kind.ContainerInstance, `${CLUSTER}/i1`, instanceRecord('i1', rng));
      });
      const arn = `arn:aws:ecs:us-east-1:000000000000:container-instance/${CLUSTER}/i1`;
      assert.equal((await clusterSnapshot(cache, store, CLUSTER)).instances[0].tasks.length, 0);
      await store
        .transact(async (tx) => {
          await tx.put(Kind.Task, `${CLUSTER}/t1`, taskRecord('t1', arn, rng));
          assert.equal((await clusterSnapshot(cache, tx, CLUSTER)).instances[0].tasks.length, 1);
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      assert.equal((await clusterSnapshot(cache, store, CLUSTER)).instances[0].tasks.length, 0);

      // Same key and version as a rolled-back write, other content: identity, not version, decides.
      const task = taskRecord('t2', arn, rng);
      await store.transact((tx) => tx.put(Kind.Task, `${CLUSTER}/t2`, task));
      await store
        .transact(async (tx) => {
          await tx.put(Kind.Task, `${CLUSTER}/t2`, {
            ...task,
            task: { ...task.task, lastStatus: 'RUNNING' },
          });
          assert.equal(
            (await clusterSnapshot(cache, tx, CLUSTER)).instances[0].tasks[0].lastStatus,
            'RUNNING',
          );
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await store.transact((tx) =>
        tx.put(Kind.Task, `${CLUSTER}/t2`, { ...task, task: { ...task.task, lastStatus: 'STOPPED' } }),
      );
      assert.deepEqual((await clusterSnapshot(cache, store, CLUSTER)).instances[0].tasks, []);
    } finally {
      await store.close();
    }
  });
});
