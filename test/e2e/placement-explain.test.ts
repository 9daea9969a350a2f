import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateClusterCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent } from '../support/agents.ts';
import { registerTestInstance } from '../support/container-instances.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { MAIN, NODE } from '../support/spawn-cli.ts';

describe('longshore placement explain', () => {
  let t: TestPlane;
  let a: TestAgent;
  let offline: string;
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'px' }));
    a = await startTestAgent(t, { cluster: 'px', cpu: '1024', memory: '512', 'instance-type': 'm5.large' });
    offline = (await registerTestInstance(t.ecs, 'px')).containerInstanceArn ?? '';
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'px',
        containerDefinitions: [
          { name: 'c', image: 'longshore-test/busybox:latest', memory: 256, command: ['sleep', '5'] },
        ],
      }),
    );
  });
  after(async () => {
    await a.stop();
    await t.stop();
  });

  const explain = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      NODE,
      [
        '--disable-warning=ExperimentalWarning',
        MAIN,
        'placement',
        'explain',
        '--endpoint',
        t.plane.endpoint,
        '--cluster',
        'px',
        ...args,
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        },
      },
    );
    return stdout;
  };

  it('accepts the connected instance and names the rule that rejects the other', async () => {
    const out = JSON.parse(await explain('--task-definition', 'px', '--json', '--request-id', 'replay-1'));
    assert.equal(out.acceptedCount, 1);
    const accepted = out.instances.find((i: { type: string }) => i.type === 'accepted');
    assert.equal(accepted.containerInstanceArn, a.agent.containerInstanceArn);
    assert.equal(accepted.rank, 1);
    const rejected = out.instances.find(
      (i: { containerInstanceArn: string }) => i.containerInstanceArn === offline,
    );
    assert.equal(rejected.type, 'rejected');
    assert.equal(rejected.reason, 'AGENT');
    assert.deepEqual(
      out.placements.map((p: { containerInstanceArn: string }) => p.containerInstanceArn),
      [a.agent.containerInstanceArn],
    );
  });

  it('explains constraint and resource rejections without placing anything', async () => {
    const out = JSON.parse(
      await explain(
        '--task-definition',
        'px',
        '--json',
        '--count',
        '3',
        '--constraint',
        'memberOf:attribute:ecs.instance-type == t3.*',
      ),
    );
    assert.equal(out.acceptedCount, 0);
    const mine = out.instances.find(
      (i: { containerInstanceArn: string }) => i.containerInstanceArn === a.agent.containerInstanceArn,
    );
    assert.equal(mine.type, 'rejected');
    assert.equal(out.failures.length, 3);
    const text = await explain('--task-definition', 'px', '--count', '3');
    assert.match(text, /would place on/);
    assert.match(text, /would fail: RESOURCE:MEMORY/);
    // Nothing was placed: a real RunTask still has room for two 256 MiB tasks in 512 MiB.
    const run = await t.ecs.send(new RunTaskCommand({ cluster: 'px', taskDefinition: 'px', count: 2 }));
    assert.equal(run.tasks?.length, 2);
  });

  it('reports query-language errors with their position', async () => {
    await assert.rejects(
      explain('--task-definition', 'px', '--constraint', 'memberOf:attribute:ecs.instance-type >> t3'),
      /InvalidParameterException: Invalid expression: .* at position \d+/,
    );
  });
});
