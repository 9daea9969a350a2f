/**
 * Container Insights: the ECS/ContainerInsights metrics of clusters that have the setting on, as
 * the CloudWatch user guide lists them (pure, over records), the usage window's IO counters, the
 * local metrics pace, Docker stats' network and block IO; then end to end with SIMULATED agents
 * that report usage (sim-usage.ts labels) at a 2-second pace: the metrics through the CloudWatch
 * SDK and the performance log events through the CloudWatch Logs SDK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { taskUsage } from '../../src/agent/engine/usage-sampler.ts';
import { containerInsightsData } from '../../src/controllers/container-insights/container-insights-data.ts';
import { performanceLogEvents } from '../../src/controllers/container-insights/performance-logs.ts';
import {
  AWS_METRICS_PACE,
  metricsPaceFrom,
  paceEnv,
} from '../../src/controllers/ecs-metrics/metrics-pace.ts';
import { UsageWindow } from '../../src/controllers/ecs-metrics/usage-window.ts';
import type {
  ClusterRecord,
  ContainerInstanceRecord,
  ServiceRecord,
  TaskRecord,
} from '../../src/ecs/model/records.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { registerTd, simAgents } from './support.ts';

const ARN = 'arn:aws:ecs:us-east-1:000000000000';
const cluster = (name: string, value: string): ClusterRecord =>
  ({
    clusterName: name,
    status: 'ACTIVE',
    settings: [{ name: 'containerInsights', value }],
  }) as ClusterRecord;
const task = (c: string, id: string, service: string | undefined, status = 'RUNNING'): TaskRecord =>
  ({
    clusterName: c,
    serviceName: service,
    task: {
      taskArn: `${ARN}:task/${c}/${id}`,
      taskDefinitionArn: `${ARN}:task-definition/web:3`,
      containerInstanceArn: `${ARN}:container-instance/${c}/i1`,
      lastStatus: status,
      cpu: '256',
      memory: '512',
    },
  }) as TaskRecord;
const service = (c: string, name: string): ServiceRecord =>
  ({
    clusterName: c,
    service: { serviceName: name, status: 'ACTIVE', desiredCount: 3, deployments: [{}, {}], taskSets: [] },
  }) as unknown as ServiceRecord;
const instance = (c: string): ContainerInstanceRecord =>
  ({ clusterName: c, instance: { status: 'ACTIVE' } }) as unknown as ContainerInstanceRecord;

type Datum = ReturnType<typeof containerInsightsData>[number];
const find = (data: Datum[], name: string, dims: Record<string, string>) =>
  data.find(
    (d) =>
      d.metricName === name &&
      d.dimensions.length === Object.keys(dims).length &&
      d.dimensions.every((x) => dims[x.name] === x.value),
  );

describe('ECS/ContainerInsights data', () => {
  const usage = new Map([
    [
      `${ARN}:task/prod/a`,
      { cpuUnits: 100, memoryMiB: 200, networkRxBytesPerSecond: 10, storageReadBytes: 4096 },
    ],
    [
      `${ARN}:task/prod/b`,
      { cpuUnits: 50, memoryMiB: 100, networkRxBytesPerSecond: 30, storageReadBytes: 0 },
    ],
  ]);
  const input = {
    clusters: [cluster('prod', 'enabled'), cluster('off', 'disabled')],
    services: [service('prod', 'web'), service('off', 'web')],
    tasks: [
      task('prod', 'a', 'web'),
      task('prod', 'b', 'web'),
      task('prod', 'c', 'web', 'PENDING'),
      task('prod', 'd', undefined),
      task('off', 'e', 'web'),
    ],
    instances: [instance('prod'), instance('prod'), instance('off')],
    usage,
    timestamp: 120_000,
  };

  it('publishes by cluster, service and family with the guide’s names and units', () => {
    const data = containerInsightsData(input);
    const svc = { ClusterName: 'prod', ServiceName: 'web' };
    // Service: 2 RUNNING tasks reserve 512 units and 1,024 MiB; they used 150 units and 300 MiB.
    assert.deepEqual(
      [
        'CpuUtilized',
        'CpuReserved',
        'MemoryUtilized',
        'MemoryReserved',
        'NetworkRxBytes',
        'StorageReadBytes',
      ].map((n) => [find(data, n, svc)?.sum, find(data, n, svc)?.unit]),
      [
        [150, 'None'],
        [512, 'None'],
        [300, 'Megabytes'],
        [1024, 'Megabytes'],
        [40, 'Bytes/Second'],
        [4096, 'Bytes'],
      ],
    );
    assert.equal(find(data, 'NetworkTxBytes', svc), undefined, 'no counter, no datapoint');
    assert.equal(find(data, 'RunningTaskCount', svc)?.sum, 2);
    assert.equal(find(data, 'PendingTaskCount', svc)?.sum, 1);
    assert.equal(find(data, 'DesiredTaskCount', svc)?.sum, 3);
    assert.equal(find(data, 'DeploymentCount', svc)?.sum, 2);
    assert.equal(find(data, 'TaskSetCount', svc)?.unit, 'Count');
    // Cluster: 3 RUNNING tasks (one without a service, without usage), 1 service, 2 instances.
    const c = { ClusterName: 'prod' };
    assert.equal(find(data, 'CpuReserved', c)?.sum, 768);
    assert.equal(find(data, 'CpuUtilized', c)?.sum, 150);
    assert.equal(find(data, 'TaskCount', c)?.sum, 3);
    assert.equal(find(data, 'ServiceCount', c)?.sum, 1);
    assert.equal(find(data, 'ContainerInstanceCount', c)?.sum, 2);
    assert.equal(find(data, 'CpuUtilized', { ClusterName: 'prod', TaskDefinitionFamily: 'web' })?.sum, 150);
    for (const d of data) {
      assert.equal(d.namespace, 'ECS/ContainerInsights');
      assert.equal(d.timestamp, 120_000);
      assert.notEqual(d.dimensions[0]?.value, 'off', 'a cluster with the setting disabled has none');
      assert.equal(
        d.dimensions.some((x) => x.name === 'TaskId'),
        false,
        'task level only when enhanced',
      );
    }
  });

  it('adds the task level when the setting is enhanced, and high-resolution data at a fast pace', () => {
    const data = containerInsightsData({
      ...input,
      clusters: [cluster('prod', 'enhanced')],
      highResolution: true,
    });
    const dims = { ClusterName: 'prod', TaskDefinitionFamily: 'web', TaskId: 'a' };
    assert.equal(find(data, 'CpuUtilized', dims)?.sum, 100);
    assert.equal(find(data, 'TaskCpuUtilization', dims)?.sum, 39.063);
    assert.equal(find(data, 'TaskMemoryUtilization', dims)?.unit, 'Percent');
    assert.ok(data.every((d) => d.storageResolution === 1));
  });

  it('writes one Task performance event per RUNNING task with usage', () => {
    const batches = performanceLogEvents(input.clusters, input.tasks, usage, 120_000, {
      region: 'us-east-1',
      accountId: '000000000000',
    });
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.logGroupName, '/aws/ecs/containerinsights/prod/performance');
    assert.equal(batches[0]?.logStreamName, 'AgentTelemetry-i1');
    const events = batches[0]?.events.map((e) => JSON.parse(e.message)) ?? [];
    assert.deepEqual(
      events.map((e) => [e.Type, e.TaskId, e.ServiceName, e.CpuUtilized, e.CpuReserved, e.MemoryReserved]),
      [
        ['Task', 'a', 'web', 100, 256, 512],
        ['Task', 'b', 'web', 50, 256, 512],
      ],
    );
    assert.equal(events[0].TaskDefinitionFamily, 'web');
    assert.equal(events[0].TaskDefinitionRevision, '3');
  });
});

describe('usage counters', () => {
  it('turns counters into rates and deltas over the period, from the sample before it', () => {
    const w = new UsageWindow();
    const t = (rx: number, read: number) => [
      { taskArn: 'x', cpuUnits: 10, memoryMiB: 1, networkRxBytes: rx, storageReadBytes: read },
    ];
    w.record(55_000, t(1_000, 100));
    w.record(60_000, t(2_000, 300));
    w.record(65_000, t(6_000, 600));
    // [60 s, 70 s): from the 55 s sample to the 65 s one: 5,000 bytes over 10 s; 500 bytes read.
    assert.deepEqual(w.averages(60_000, 70_000).get('x'), {
      cpuUnits: 10,
      memoryMiB: 1,
      networkRxBytesPerSecond: 500,
      storageReadBytes: 500,
    });
    // A counter that went down (the container restarted) counts from zero.
    w.record(75_000, t(100, 50));
    assert.equal(w.averages(70_000, 80_000).get('x')?.networkRxBytesPerSecond, 10);
    assert.equal(w.averages(70_000, 80_000).get('x')?.storageReadBytes, 50);
  });

  it('reads network and block IO from Docker stats (cgroup v1 and v2 op names)', () => {
    const usage = taskUsage('t', [
      {
        networks: { eth0: { rx_bytes: 100, tx_bytes: 10 }, eth1: { rx_bytes: 5, tx_bytes: 1 } },
        blkio_stats: {
          io_service_bytes_recursive: [
            { op: 'Read', value: 4096 },
            { op: 'Write', value: 8192 },
            { op: 'Total', value: 12288 },
          ],
        },
      },
      {
        blkio_stats: {
          io_service_bytes_recursive: [
            { op: 'read', value: 1 },
            { op: 'write', value: 2 },
          ],
        },
      },
    ]);
    assert.deepEqual(
      [usage?.networkRxBytes, usage?.networkTxBytes, usage?.storageReadBytes, usage?.storageWriteBytes],
      [105, 11, 4097, 8194],
    );
  });
});

describe('metrics pace', () => {
  it("is AWS's by default and with unusable values; LONGSHORE_FAST_METRICS fills in what is unset", () => {
    assert.equal(metricsPaceFrom({}), AWS_METRICS_PACE);
    assert.equal(metricsPaceFrom({ LONGSHORE_ECS_METRICS_INTERVAL_SECONDS: '7' }), AWS_METRICS_PACE);
    assert.deepEqual(metricsPaceFrom({ LONGSHORE_ECS_METRICS_INTERVAL_SECONDS: '5' }), {
      publishMs: 5_000,
      sampleMs: 5_000,
    });
    assert.deepEqual(metricsPaceFrom({}, 30), { publishMs: 30_000, sampleMs: 20_000 });
    const fast = paceEnv({ LONGSHORE_FAST_METRICS: '1', LONGSHORE_ALARM_EVALUATION_MS: '250' });
    assert.equal(fast.LONGSHORE_ECS_METRICS_INTERVAL_SECONDS, '5');
    assert.equal(fast.LONGSHORE_AUTOSCALING_PERIOD_SECONDS, '10');
    assert.equal(fast.LONGSHORE_AUTOSCALING_MAX_COOLDOWN_SECONDS, '10');
    assert.equal(fast.LONGSHORE_ALARM_EVALUATION_MS, '250', 'a variable set on its own wins');
    assert.deepEqual(paceEnv({}, false), {});
    assert.equal(paceEnv({}, true).LONGSHORE_AUTOSCALING_PERIOD_SECONDS, '10');
  });
});

describe('Container Insights end to end (simulated agents, 2-second pace)', () => {
  const saved = process.env.LONGSHORE_ECS_METRICS_INTERVAL_SECONDS;
  let t: TestPlane;
  let sim: SimulatedCluster;
  let cw: CloudWatchClient;
  let logs: CloudWatchLogsClient;
  before(async () => {
    process.env.LONGSHORE_ECS_METRICS_INTERVAL_SECONDS = '2';
    t = await startTestPlane();
    const client = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    cw = new CloudWatchClient(client);
    logs = new CloudWatchLogsClient(client);
    await t.ecs.send(
      new CreateClusterCommand({
        clusterName: 'ci',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
    sim = await simAgents(t.plane.endpoint, 'ci', 1, { createCluster: false });
  });
  after(async () => {
    await t.ecs
      .send(new UpdateServiceCommand({ cluster: 'ci', service: 'web', desiredCount: 0 }))
      .catch(() => {});
    await sim?.stop();
    cw?.destroy();
    logs?.destroy();
    await t?.stop();
    if (saved === undefined) delete process.env.LONGSHORE_ECS_METRICS_INTERVAL_SECONDS;
    else process.env.LONGSHORE_ECS_METRICS_INTERVAL_SECONDS = saved;
  });

  it('publishes the service and cluster metrics and the performance log events', {
    timeout: 60_000,
  }, async () => {
    const td = await registerTd(t.ecs, 'web', {
      labels: {
        'cpu-units': '100',
        'memory-mib': '32',
        'network-rx-bps': '1000',
        'storage-write-bps': '500',
      },
      extra: { cpu: '256', memory: '128' },
    });
    await t.ecs.send(
      new CreateServiceCommand({ cluster: 'ci', serviceName: 'web', taskDefinition: td, desiredCount: 2 }),
    );
    const svc = [
      { Name: 'ClusterName', Value: 'ci' },
      { Name: 'ServiceName', Value: 'web' },
    ];
    const read = async (name: string, dims: { Name: string; Value: string }[]) => {
      const now = Date.now();
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 120_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [
            {
              Id: 'm',
              MetricStat: {
                Metric: { Namespace: 'ECS/ContainerInsights', MetricName: name, Dimensions: dims },
                Period: 1,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
      return out.MetricDataResults?.[0]?.Values?.[0];
    };
    // Both tasks RUNNING and reporting in one period: 200 units used of 512 reserved.
    await waitFor(
      'CpuUtilized of both tasks',
      async () => ((await read('CpuUtilized', svc)) === 200 ? true : undefined),
      30_000,
      500,
    );
    assert.equal(await read('CpuReserved', svc), 512);
    assert.equal(await read('MemoryUtilized', svc), 64);
    assert.equal(await read('MemoryReserved', svc), 256);
    assert.equal(await read('RunningTaskCount', svc), 2);
    assert.equal(await read('DesiredTaskCount', svc), 2);
    assert.equal(await read('DeploymentCount', svc), 1);
    // Counters need two readings: the rate comes a period later.
    const rx = await waitFor('NetworkRxBytes', () => read('NetworkRxBytes', svc), 10_000, 500);
    assert.ok(rx > 1_600 && rx < 2_400, `NetworkRxBytes ${rx} (2 tasks x 1,000 B/s)`);
    const written = (await read('StorageWriteBytes', svc)) ?? 0;
    assert.ok(written > 1_000 && written < 3_000, `StorageWriteBytes ${written} (2 x 500 B/s over 2 s)`);
    const clusterDims = [{ Name: 'ClusterName', Value: 'ci' }];
    assert.equal(await read('ServiceCount', clusterDims), 1);
    assert.equal(await read('TaskCount', clusterDims), 2);
    assert.equal(await read('ContainerInstanceCount', clusterDims), 1);
    const family = [...clusterDims, { Name: 'TaskDefinitionFamily', Value: 'web' }];
    assert.equal(await read('CpuUtilized', family), 200);
    // A cluster without the setting gets no Container Insights metric.
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'ECS/ContainerInsights' }));
    assert.ok((listed.Metrics ?? []).length > 0);
    assert.ok(
      (listed.Metrics ?? []).every(
        (m) => m.Dimensions?.find((d) => d.Name === 'ClusterName')?.Value === 'ci',
      ),
    );
    // The performance log events, queryable with a JSON filter pattern as the guide shows.
    const events = await waitFor(
      'performance log events',
      async () => {
        const out = await logs.send(
          new FilterLogEventsCommand({
            logGroupName: '/aws/ecs/containerinsights/ci/performance',
            filterPattern: '{ $.Type = "Task" && $.ServiceName = "web" }',
          }),
        );
        return (out.events ?? []).length >= 2 ? out.events : undefined;
      },
      20_000,
      500,
    );
    const event = JSON.parse(events?.[0]?.message ?? '{}');
    assert.equal(event.ClusterName, 'ci');
    assert.equal(event.CpuUtilized, 100);
    assert.equal(event.CpuReserved, 256);
    assert.match(events?.[0]?.logStreamName ?? '', /^AgentTelemetry-[0-9a-f]+$/);
  });
});
