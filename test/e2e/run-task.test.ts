import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const IMAGE = 'longshore-test/busybox:latest';

describe('RunTask on a real agent (Docker)', () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'e2e' }));
  });
  after(async () => {
    await a?.stop();
    await t.stop();
  });

  const task = async (arn: string): Promise<Task> =>
    (await t.ecs.send(new DescribeTasksCommand({ cluster: 'e2e', tasks: [arn] }))).tasks![0];

  it('answers RunTask on an empty cluster as ECS does', async () => {
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          {
            name: 'web',
            image: IMAGE,
            memory: 32,
            command: ['httpd', '-f', '-p', '80', '-h', '/www'],
            portMappings: [{ containerPort: 80, hostPort: 0 }],
            stopTimeout: 2,
          },
        ],
      }),
    );
    const e = await awsError(() => t.ecs.send(new RunTaskCommand({ cluster: 'e2e', taskDefinition: 'web' })));
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'No Container Instances were found in your cluster.');
  });

  it('registers an agent that shows as connected', async () => {
    a = await startTestAgent(t, { cluster: 'e2e', cpu: '2048', memory: '1024' });
    const arn = a.agent.containerInstanceArn;
    const list = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'e2e' }));
    assert.deepEqual(list.containerInstanceArns, [arn]);
    const described = await waitFor('agentConnected', async () => {
      const out = await t.ecs.send(
        new DescribeContainerInstancesCommand({ cluster: 'e2e', containerInstances: [arn] }),
      );
      return out.containerInstances?.[0].agentConnected ? out.containerInstances[0] : undefined;
    });
    assert.equal(described.status, 'ACTIVE');
    assert.equal(described.registeredResources?.find((r) => r.name === 'CPU')?.integerValue, 2048);
    assert.ok(described.attributes?.some((attr) => attr.name === 'ecs.capability.container-health-check'));
  });

  it('runs a web task to RUNNING with a dynamic host port reachable from the host', async () => {
    const out = await t.ecs.send(
      new RunTaskCommand({ cluster: 'e2e', taskDefinition: 'web', startedBy: 'e2e-test' }),
    );
    assert.deepEqual(out.failures, []);
    const arn = out.tasks![0].taskArn!;
    assert.equal(out.tasks![0].lastStatus, 'PENDING');
    assert.equal(out.tasks![0].desiredStatus, 'RUNNING');
    const running = await waitFor('RUNNING', async () => {
      const d = await task(arn);
      return d.lastStatus === 'RUNNING' ? d : undefined;
    });
    const container = running.containers![0];
    assert.match(container.runtimeId ?? '', /^[0-9a-f]{64}$/);
    assert.ok(running.startedAt instanceof Date);
    const binding = container.networkBindings![0];
    assert.equal(binding.containerPort, 80);
    assert.ok((binding.hostPort ?? 0) >= 32768);
    const res = await waitFor('HTTP answer', async () => {
      const r = await fetch(`http://127.0.0.1:${binding.hostPort}/`).catch(() => undefined);
      return r;
    });
    assert.ok(res.status === 200 || res.status === 404, `unexpected HTTP ${res.status}`);
    const listed = await t.ecs.send(new ListTasksCommand({ cluster: 'e2e', startedBy: 'e2e-test' }));
    assert.deepEqual(listed.taskArns, [arn]);

    await t.ecs.send(new StopTaskCommand({ cluster: 'e2e', task: arn, reason: 'done testing' }));
    const stopped = await waitFor('STOPPED', async () => {
      const d = await task(arn);
      return d.lastStatus === 'STOPPED' ? d : undefined;
    });
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'done testing');
    assert.equal(stopped.desiredStatus, 'STOPPED');
    assert.ok(stopped.stoppedAt instanceof Date);
    assert.equal(stopped.containers![0].lastStatus, 'STOPPED');
  });

  it('reports an essential container that exits', async () => {
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'job',
        containerDefinitions: [{ name: 'job', image: IMAGE, memory: 16, command: ['sh', '-c', 'exit 3'] }],
      }),
    );
    const out = await t.ecs.send(new RunTaskCommand({ cluster: 'e2e', taskDefinition: 'job' }));
    const arn = out.tasks![0].taskArn!;
    const stopped = await waitFor('STOPPED', async () => {
      const d = await task(arn);
      return d.lastStatus === 'STOPPED' ? d : undefined;
    });
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    assert.equal(stopped.containers![0].exitCode, 3);
  });

  it('fails placement with ECS reasons when the instance lacks memory', async () => {
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'huge',
        containerDefinitions: [{ name: 'huge', image: IMAGE, memory: 4096, command: ['sleep', '1'] }],
      }),
    );
    const out = await t.ecs.send(new RunTaskCommand({ cluster: 'e2e', taskDefinition: 'huge', count: 2 }));
    assert.deepEqual(out.tasks, []);
    assert.equal(out.failures?.length, 2);
    assert.equal(out.failures?.[0].reason, 'RESOURCE:MEMORY');
    assert.match(out.failures?.[0].detail ?? '', /MEMORY/);
  });
});
