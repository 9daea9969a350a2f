/**
 * A task with the awslogs driver on real Docker: Docker's own awslogs driver, pointed at Longshore
 * with credentials from the agent's endpoint, sends the container's lines to Longshore's CloudWatch
 * Logs, in the stream ECS names (`prefix/container/task-id`); `aws logs get-log-events` reads them
 * and `longshore logs` prints them with the container's name.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { MAIN, NODE } from '../support/spawn-cli.ts';

const run = promisify(execFile);
const haveDocker = spawnSync('docker', ['image', 'inspect', 'longshore-test/busybox:latest']).status === 0;

describe('awslogs tasks', { skip: !haveDocker && 'docker or the test image is missing' }, () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
  });
  after(async () => {
    await a?.stop();
    await t?.stop();
  });

  it("sends the container's output to CloudWatch Logs in ECS's stream", async () => {
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'logger',
        containerDefinitions: [
          {
            name: 'talker',
            image: 'longshore-test/busybox:latest',
            memory: 32,
            stopTimeout: 1,
            command: ['sh', '-c', 'echo first line; echo second line; sleep 300'],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/logger',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
                'awslogs-create-group': 'true',
              },
            },
          },
        ],
      }),
    );
    const started = await t.ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition?.taskDefinitionArn }),
    );
    const taskArn = started.tasks?.[0].taskArn ?? '';
    const stream = `ecs/talker/${taskArn.split('/').pop()}`;
    // Docker's awslogs driver flushes every 5 s; on a loaded 2-core CI box the first batch can take
    // a while. On a timeout, say what the task was doing.
    const events = await waitFor(
      'the lines in CloudWatch Logs',
      async () => {
        const { stdout } = await run(
          'aws',
          [
            '--endpoint-url',
            t.plane.endpoint,
            'logs',
            'get-log-events',
            '--log-group-name',
            '/ecs/logger',
            '--log-stream-name',
            stream,
            '--start-from-head',
          ],
          { env: awsCliEnv(), encoding: 'utf8' },
        ).catch(() => ({ stdout: '{}' }));
        const got = (JSON.parse(stdout).events ?? []) as { message: string }[];
        return got.length >= 2 ? got : undefined;
      },
      60_000,
      500,
    ).catch(async (error: unknown) => {
      const out = await t.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
      const task = out.tasks?.[0];
      throw new Error(
        `${String(error)}; the task: ${task?.lastStatus} ${task?.stoppedReason ?? ''} ${JSON.stringify(task?.containers?.map((c) => [c.lastStatus, c.reason]))}`,
      );
    });
    assert.deepEqual(
      events.map((e) => e.message),
      ['first line', 'second line'],
    );
    const { stdout } = await run(
      NODE,
      ['--disable-warning=ExperimentalWarning', MAIN, 'logs', taskArn, '--endpoint', t.plane.endpoint],
      {
        env: {
          ...process.env,
          LONGSHORE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          LONGSHORE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.match(stdout, /^talker \| first line\ntalker \| second line$/m);
  });
});
