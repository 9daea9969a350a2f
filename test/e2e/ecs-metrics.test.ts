/**
 * AWS/ECS metrics from real containers: a service whose task spins a core shows high
 * CPUUtilization against its 256 reserved units, the cluster its reservation; an idle service
 * next to nothing. Samples come from the agent (Docker stats, every second here); the minute is
 * published on demand instead of waiting for the clock.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const haveDocker = spawnSync('docker', ['image', 'inspect', 'longshore-test/busybox:latest']).status === 0;

describe('AWS/ECS metrics from Docker stats', {
  skip: !haveDocker && 'docker or the test image is missing',
}, () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default', cpu: '2048', memory: '1024' }, undefined, {
      usageSampleMs: 1_000,
    });
  });
  after(async () => {
    for (const service of ['burner', 'idler']) {
      await t.ecs.send(new UpdateServiceCommand({ service, desiredCount: 0 })).catch(() => undefined);
    }
    await a?.stop();
    await t?.stop();
  });

  it('reports a busy service near or above 100 % CPU, an idle one near 0, and the cluster reservation', async () => {
    const service = async (name: string, command: string[]) => {
      const td = await t.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: name,
          cpu: '256',
          memory: '128',
          containerDefinitions: [{ name, image: 'longshore-test/busybox:latest', command, stopTimeout: 1 }],
        }),
      );
      await t.ecs.send(
        new CreateServiceCommand({
          serviceName: name,
          taskDefinition: td.taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
        }),
      );
    };
    await service('burner', ['sh', '-c', 'while :; do :; done']);
    await service('idler', ['sleep', '600']);
    const publisher = t.plane.ecsMetrics.get('us-east-1');
    assert.ok(publisher);
    const data = await waitFor(
      'usage of both services',
      async () => {
        const d = await publisher.publishMinute(Date.now() + 60_000);
        const names = new Set(d.map((x) => x.dimensions.find((y) => y.name === 'ServiceName')?.value));
        return names.has('burner') && names.has('idler') ? d : undefined;
      },
      60_000,
      1_000,
    );
    const value = (name: string, dims: Record<string, string>) =>
      data.find(
        (d) =>
          d.metricName === name &&
          d.dimensions.length === Object.keys(dims).length &&
          d.dimensions.every((x) => dims[x.name] === x.value),
      )?.sum;
    // 256 units reserved; a spinning core is 1,024 units: 100 % or more, on a loaded box at least 60 %.
    const burning = value('CPUUtilization', { ClusterName: 'default', ServiceName: 'burner' }) ?? 0;
    assert.ok(burning > 60, `burner CPUUtilization ${burning}`);
    const idle = value('CPUUtilization', { ClusterName: 'default', ServiceName: 'idler' }) ?? 100;
    assert.ok(idle < 10, `idler CPUUtilization ${idle}`);
    // Two tasks of 256 units on a 2,048-unit instance: 25 % reserved.
    assert.equal(value('CPUReservation', { ClusterName: 'default' }), 25);
    assert.equal(value('MemoryReservation', { ClusterName: 'default' }), 25);
  });
});
