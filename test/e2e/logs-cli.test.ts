import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { MAIN, NODE } from '../support/spawn-cli.ts';

describe('longshore logs', () => {
  let t: TestPlane;
  let a: TestAgent;
  let taskArn = '';
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'logs' }));
    a = await startTestAgent(t, { cluster: 'logs' });
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'talker',
        containerDefinitions: [
          {
            name: 'talker',
            image: 'longshore-test/busybox:latest',
            memory: 16,
            stopTimeout: 1,
            command: [
              'sh',
              '-c',
              'echo hello from talker; echo oops >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done',
            ],
          },
        ],
      }),
    );
    const run = await t.ecs.send(new RunTaskCommand({ cluster: 'logs', taskDefinition: 'talker' }));
    taskArn = run.tasks![0].taskArn!;
    await waitFor('RUNNING', async () => {
      const d = await t.ecs.send(new DescribeTasksCommand({ cluster: 'logs', tasks: [taskArn] }));
      return d.tasks![0].lastStatus === 'RUNNING' ? true : undefined;
    });
  });
  after(async () => {
    await a.stop();
    await t.stop();
  });

  it('prints a task’s container logs, prefixed with the container name, by task id', async () => {
    const id = taskArn.split('/').pop()!;
    const out = await waitFor('the first lines', async () => {
      const { stdout, stderr } = await promisify(execFile)(NODE, [
        '--disable-warning=ExperimentalWarning',
        MAIN,
        'logs',
        id,
      ]);
      return stdout.includes('tick') ? { stdout, stderr } : undefined;
    });
    assert.match(out.stdout, /^talker \| hello from talker$/m);
    assert.match(out.stderr, /^talker \| oops$/m);
  });

  it('follows the logs until interrupted', async () => {
    const child = spawn(
      NODE,
      ['--disable-warning=ExperimentalWarning', MAIN, 'logs', taskArn, '--follow', '--tail', '1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout.on('data', (d) => {
      text += String(d);
    });
    try {
      // New lines keep arriving while following: at least three ticks within the wait.
      await waitFor(
        'followed lines',
        async () => ((text.match(/tick/g) ?? []).length >= 3 ? true : undefined),
        15_000,
      );
    } finally {
      child.kill('SIGINT');
    }
    assert.match(text, /^talker \| tick \d+$/m);
  });
});
