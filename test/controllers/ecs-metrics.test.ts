/**
 * AWS/ECS metrics as ECS computes them: service utilization against what its tasks reserve,
 * cluster reservation and utilization against what its instances registered; the publisher
 * averages the minute's usage samples and hands the data over once a minute.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ecsMetricData } from '../../src/controllers/ecs-metrics/ecs-metric-data.ts';
import { UsageWindow } from '../../src/controllers/ecs-metrics/usage-window.ts';
import type { ContainerInstanceRecord, TaskRecord } from '../../src/ecs/model/records.ts';

const ARN = 'arn:aws:ecs:us-east-1:000000000000';
const task = (
  id: string,
  service: string | undefined,
  cpu: string,
  memory: string,
  onInstance = true,
): TaskRecord =>
  ({
    clusterName: 'prod',
    serviceName: service,
    assignmentVersion: 1,
    reportSeq: 1,
    task: {
      taskArn: `${ARN}:task/prod/${id}`,
      lastStatus: 'RUNNING',
      cpu,
      memory,
      ...(onInstance ? { containerInstanceArn: `${ARN}:container-instance/prod/i1` } : {}),
    },
  }) as TaskRecord;
const instance = (cpu: number, memory: number): ContainerInstanceRecord =>
  ({
    instance: {
      containerInstanceArn: `${ARN}:container-instance/prod/i1`,
      status: 'ACTIVE',
      registeredResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: cpu },
        { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
      ],
    },
  }) as unknown as ContainerInstanceRecord;

const value = (data: ReturnType<typeof ecsMetricData>, name: string, dims: Record<string, string>) =>
  data.find(
    (d) =>
      d.metricName === name &&
      d.dimensions.length === Object.keys(dims).length &&
      d.dimensions.every((x) => dims[x.name] === x.value),
  )?.sum;

describe('AWS/ECS metrics', () => {
  it("computes service and cluster figures with ECS's formulas", () => {
    const tasks = [
      task('a', 'web', '512', '1024'),
      task('b', 'web', '512', '1024'),
      task('c', undefined, '1024', '512'),
    ];
    const usage = new Map([
      [`${ARN}:task/prod/a`, { cpuUnits: 256, memoryMiB: 512 }],
      [`${ARN}:task/prod/b`, { cpuUnits: 128, memoryMiB: 256 }],
      [`${ARN}:task/prod/c`, { cpuUnits: 1024, memoryMiB: 256 }],
    ]);
    const data = ecsMetricData(tasks, [instance(4096, 8192)], usage, 60_000);
    // Service: (256 + 128) x 100 / (512 + 512); memory (512 + 256) x 100 / 2048.
    assert.equal(value(data, 'CPUUtilization', { ClusterName: 'prod', ServiceName: 'web' }), 37.5);
    assert.equal(value(data, 'MemoryUtilization', { ClusterName: 'prod', ServiceName: 'web' }), 37.5);
    // Cluster: reserved 2048 of 4096 CPU, 2560 of 8192 MiB; used 1408 CPU, 1024 MiB.
    assert.equal(value(data, 'CPUReservation', { ClusterName: 'prod' }), 50);
    assert.equal(value(data, 'MemoryReservation', { ClusterName: 'prod' }), 31.25);
    assert.equal(value(data, 'CPUUtilization', { ClusterName: 'prod' }), 34.375);
    assert.equal(value(data, 'MemoryUtilization', { ClusterName: 'prod' }), 12.5);
    for (const d of data) {
      assert.equal(d.namespace, 'AWS/ECS');
      assert.equal(d.unit, 'Percent');
      assert.equal(d.timestamp, 60_000);
    }
  });

  it('leaves out services without samples and clusters without registered capacity (Fargate only)', () => {
    const fargate = [task('f', 'api', '256', '512', false)];
    const data = ecsMetricData(
      fargate,
      [],
      new Map([[`${ARN}:task/prod/f`, { cpuUnits: 64, memoryMiB: 128 }]]),
      0,
    );
    assert.equal(value(data, 'CPUUtilization', { ClusterName: 'prod', ServiceName: 'api' }), 25);
    assert.equal(value(data, 'CPUReservation', { ClusterName: 'prod' }), undefined);
    assert.deepEqual(ecsMetricData([task('x', 'quiet', '256', '512')], [], new Map(), 0), []);
  });

  it("averages a minute's samples per task and forgets old ones", () => {
    const w = new UsageWindow();
    w.record(10_000, [{ taskArn: 't', cpuUnits: 100, memoryMiB: 10 }]);
    w.record(30_000, [{ taskArn: 't', cpuUnits: 300, memoryMiB: 30 }]);
    w.record(70_000, [{ taskArn: 't', cpuUnits: 900, memoryMiB: 90 }]);
    assert.deepEqual(w.averages(0, 60_000).get('t'), { cpuUnits: 200, memoryMiB: 20 });
    w.prune(70_001 + 3 * 60_000);
    assert.equal(w.averages(0, 10 ** 9).size, 0);
  });
});
