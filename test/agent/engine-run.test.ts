/** Running tasks on real Docker: dynamic host ports, labels, metadata v4 from inside, StopTask timing. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TaskReport } from '../../src/core/agent-protocol.ts';
import {
  assignment,
  docker,
  httpGet,
  startEngine,
  type TestEngine,
  taskLogs,
  uniqueId,
} from './docker-helpers.ts';

const WEB = ['httpd', '-f', '-p', '80', '-h', '/www'];

describe('task engine on Docker', { concurrency: true, timeout: 60_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
  });

  test('bridge task gets an agent-allocated host port reachable from the host', async () => {
    const a = assignment('web', [
      { name: 'web', command: WEB, portMappings: [{ containerPort: 80 }], memory: 32 },
    ]);
    await t.engine.apply(a);
    const running = await t.reports.status(a.taskArn, 'RUNNING');
    const [binding] = running.containers[0].networkBindings ?? [];
    assert.equal(binding.containerPort, 80);
    assert.ok(
      binding.hostPort >= 32768 && binding.hostPort <= 60999,
      `host port ${binding.hostPort} in range`,
    );
    const res = await httpGet(`http://127.0.0.1:${binding.hostPort}/`);
    assert.equal(res.status, 200);
    assert.match(res.body, /hello from longshore-test busybox/);

    const info = await docker.getContainer(running.containers[0].runtimeId!).inspect();
    assert.equal(info.Config.Labels['com.amazonaws.ecs.task-arn'], a.taskArn);
    assert.equal(info.Config.Labels['com.amazonaws.ecs.container-name'], 'web');
    assert.equal(info.Config.Labels['com.amazonaws.ecs.task-definition-family'], 'web');
    assert.equal(info.Config.Labels['com.amazonaws.ecs.task-definition-version'], '1');
    assert.equal(info.Config.Labels['com.amazonaws.ecs.cluster'], 'agent-test');
    assert.equal(info.Config.Labels['longshore.instance'], t.instanceArn);
    assert.equal(info.HostConfig.Memory, 32 * 1024 * 1024);
    assert.equal(info.HostConfig.LogConfig?.Type, 'json-file');
    assert.ok(info.Config.Env.some((e) => e.startsWith('ECS_CONTAINER_METADATA_URI_V4=http://')));
    assert.ok(info.Config.Env.includes('AWS_EXECUTION_ENV=AWS_ECS_EC2'));

    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(a.taskArn, 'STOPPED');
  });

  test('a container reads its own and its task metadata (v4) from the endpoint', async () => {
    // The agent learns that the probe runs when its start call returns: poll until it knows.
    const probe = [
      'for i in $(seq 1 50); do',
      '  self=$(timeout 3 wget -qO- "$ECS_CONTAINER_METADATA_URI_V4");',
      '  case "$self" in *\'"KnownStatus":"RUNNING"\'*) break;; esac; sleep 0.2;',
      'done;',
      'echo "$self"; timeout 3 wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task"; echo',
    ].join(' ');
    const a = assignment(
      'meta',
      [
        { name: 'web', command: WEB, cpu: 128, dockerLabels: { team: 'blue' } },
        { name: 'probe', essential: false, command: ['sh', '-c', probe] },
      ],
      { memory: '256' },
    );
    await t.engine.apply(a);
    const probeStopped = (r: TaskReport) =>
      r.containers.find((c) => c.name === 'probe')?.lastStatus === 'STOPPED';
    await t.reports.waitFor(a.taskArn, probeStopped, 40_000).catch(async (error: Error) => {
      const logs = await taskLogs(a.taskArn, () => true);
      throw new Error(`${error.message}\nlogs so far:\n${logs.join('\n')}`);
    });
    const json = (lines: string[]) =>
      lines.filter((l) => l.startsWith('probe: {')).map((l) => l.slice('probe: '.length));
    const lines = await taskLogs(a.taskArn, (l) => json(l).length >= 2);
    const [self, task] = json(lines).map((l) => JSON.parse(l));
    assert.ok(self && task, `probe output: ${lines.join('\n')}`);
    assert.equal(self.Name, 'probe');
    assert.match(self.DockerName, /^ecs-meta-1-probe-[0-9a-f]{20}$/);
    assert.equal(self.KnownStatus, 'RUNNING');
    assert.equal(self.Labels['com.amazonaws.ecs.task-arn'], a.taskArn);
    assert.equal(self.Networks[0].NetworkMode, 'bridge');
    assert.match(self.Networks[0].IPv4Addresses[0], /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(task.TaskARN, a.taskArn);
    assert.equal(task.Family, 'meta');
    assert.equal(task.Revision, '1');
    assert.deepEqual(task.Limits, { Memory: 256 });
    const web = task.Containers.find((c: { Name: string }) => c.Name === 'web');
    assert.equal(web.Limits.CPU, 128);
    assert.equal(web.Labels.team, 'blue');
    assert.equal(task.Containers.length, 2);

    // Another id, or none, reads nothing.
    const base = (await docker.getContainer(self.DockerId).inspect()).Config.Env.find((e) =>
      e.startsWith('ECS_CONTAINER_METADATA_URI_V4='),
    )!;
    const endpoint = new URL(base.split('=')[1]);
    const other = await httpGet(`${endpoint.origin}/v4/00000000-0000-0000-0000-000000000000/task`);
    assert.equal(other.status, 404);
    await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    await t.reports.status(a.taskArn, 'STOPPED');
  });

  test('host network mode, a host bind mount and a shared autoprovisioned volume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'longshore-www-'));
    await writeFile(join(dir, 'index.html'), 'served from a host path\n');
    const port = 20000 + Math.floor(Math.random() * 10000);
    const shared = `longshore-test-shared-${uniqueId()}`;
    const a = assignment(
      'hostmode',
      [
        {
          name: 'web',
          command: ['httpd', '-f', '-p', String(port), '-h', '/www-host'],
          portMappings: [{ containerPort: port, hostPort: port }],
          mountPoints: [
            { sourceVolume: 'site', containerPath: '/www-host', readOnly: true },
            { sourceVolume: 'cache', containerPath: '/cache' },
          ],
          linuxParameters: { initProcessEnabled: true },
        },
      ],
      {
        networkMode: 'host',
        volumes: [
          { name: 'site', host: { sourcePath: dir } },
          {
            name: shared,
            dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, labels: { purpose: 'test' } },
          },
          { name: 'cache', dockerVolumeConfiguration: { scope: 'task', driver: 'local' } },
        ],
      },
    );
    a.containers[0].definition.mountPoints?.push({ sourceVolume: shared, containerPath: '/shared' });
    try {
      await t.engine.apply(a);
      const running = await t.reports.status(a.taskArn, 'RUNNING');
      assert.deepEqual(running.containers[0].networkBindings, [
        { bindIP: '0.0.0.0', containerPort: port, hostPort: port, protocol: 'tcp' },
      ]);
      const res = await httpGet(`http://127.0.0.1:${port}/`);
      assert.equal(res.body, 'served from a host path\n');
      assert.equal((await docker.getVolume(shared).inspect()).Labels?.purpose, 'test');
      await t.engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
      await t.reports.status(a.taskArn, 'STOPPED');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await docker
        .listContainers({ all: true, filters: { label: [`com.amazonaws.ecs.task-arn=${a.taskArn}`] } })
        .then((list) => Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }))));
      await docker.getVolume(shared).remove();
    }
  });

  test('StopTask sends SIGTERM, then SIGKILL after stopTimeout', async () => {
    const a = assignment('stop', [
      // PID 1 without a handler ignores SIGTERM: only the SIGKILL after stopTimeout ends it (137).
      { name: 'stubborn', command: ['sleep', '600'], stopTimeout: 2 },
      // With an init process, SIGTERM reaches sleep and ends it at once (143).
      {
        name: 'polite',
        command: ['sleep', '600'],
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: 20,
      },
    ]);
    await t.engine.apply(a);
    await t.reports.status(a.taskArn, 'RUNNING');
    const stopAt = Date.now();
    await t.engine.apply({
      ...a,
      desiredStatus: 'STOPPED',
      version: 2,
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
    });
    const stopped = await t.reports.status(a.taskArn, 'STOPPED', 15_000);
    const took = Date.now() - stopAt;
    const byName = Object.fromEntries(stopped.containers.map((c) => [c.name, c]));
    assert.equal(byName.stubborn.exitCode, 137);
    assert.equal(byName.polite.exitCode, 143);
    assert.ok(took >= 1900 && took < 10_000, `stop took ${took} ms`);
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'Task stopped by user');
    assert.ok(stopped.stoppingAt! <= stopped.executionStoppedAt!);
    const statuses = t.reports.for(a.taskArn).map((r) => r.lastStatus);
    assert.deepEqual([...new Set(statuses)], ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING', 'STOPPED']);
    const seqs = t.reports.for(a.taskArn).map((r) => r.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
    );
  });
});
