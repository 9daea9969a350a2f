import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

describe('agent restart during a running task', () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'restart' }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sleeper',
        containerDefinitions: [
          {
            name: 'app',
            image: 'longshore-test/busybox:latest',
            memory: 16,
            command: ['sleep', '600'],
            stopTimeout: 1,
          },
        ],
      }),
    );
  });
  after(async () => {
    await a?.stop();
    await t.stop();
  });

  const task = async (arn: string): Promise<Task> =>
    (await t.ecs.send(new DescribeTasksCommand({ cluster: 'restart', tasks: [arn] }))).tasks![0];
  const connected = async (arn: string) => {
    const out = await t.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'restart', containerInstances: [arn] }),
    );
    return out.containerInstances?.[0].agentConnected;
  };

  it('re-registers as the same instance, re-adopts the container, and can still stop it', async () => {
    a = await startTestAgent(t, { cluster: 'restart' });
    const instance = a.agent.containerInstanceArn;
    const run = await t.ecs.send(new RunTaskCommand({ cluster: 'restart', taskDefinition: 'sleeper' }));
    const arn = run.tasks![0].taskArn!;
    const running = await waitFor('RUNNING', async () =>
      (await task(arn)).lastStatus === 'RUNNING' ? task(arn) : undefined,
    );
    const runtimeId = running.containers![0].runtimeId;

    const dataDir = a.dataDir;
    await a.agent.stop();
    await waitFor('agentConnected false', async () =>
      (await connected(instance)) === false ? true : undefined,
    );

    a = await startTestAgent(t, { cluster: 'restart' }, dataDir);
    assert.equal(a.agent.containerInstanceArn, instance);
    const list = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'restart' }));
    assert.deepEqual(list.containerInstanceArns, [instance]);
    await waitFor('agentConnected true', async () => ((await connected(instance)) ? true : undefined));

    const after = await task(arn);
    assert.equal(after.lastStatus, 'RUNNING');
    assert.equal(after.containers![0].runtimeId, runtimeId, 'the container was re-adopted, not restarted');

    await t.ecs.send(new StopTaskCommand({ cluster: 'restart', task: arn }));
    const stopped = await waitFor('STOPPED', async () =>
      (await task(arn)).lastStatus === 'STOPPED' ? task(arn) : undefined,
    );
    assert.equal(stopped.stoppedReason, 'Task stopped by user');
    rmSync(dataDir, { recursive: true, force: true });
  });
});
