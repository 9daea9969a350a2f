/**
 * `secrets` in container definitions on real Docker: a Secrets Manager value (a JSON key of it)
 * and an SSM SecureString arrive as environment variables, as ECS resolves them at task start; a
 * secret that does not exist stops the task with ECS's ResourceInitializationError, and no value
 * appears in a reason.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);
const haveDocker = spawnSync('docker', ['image', 'inspect', 'longshore-test/busybox:latest']).status === 0;

describe('task secrets', { skip: !haveDocker && 'docker or the test image is missing' }, () => {
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

  const runTask = async (family: string, secrets: { name: string; valueFrom: string }[]) => {
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {
            name: 'app',
            image: 'longshore-test/busybox:latest',
            memory: 32,
            stopTimeout: 1,
            command: ['sh', '-c', 'echo "DB=$DB_PASSWORD"; echo "KEY=$API_KEY"; sleep 60'],
            environment: [{ name: 'DB_PASSWORD', value: 'overridden by the secret' }],
            secrets,
          },
        ],
      }),
    );
    const out = await t.ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition?.taskDefinitionArn }),
    );
    return out.tasks?.[0].taskArn ?? '';
  };

  it('injects a Secrets Manager JSON key and an SSM SecureString as variables', async () => {
    const options = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    const sm = new SecretsManagerClient(options);
    const ssm = new SSMClient(options);
    const secret = await sm.send(
      new CreateSecretCommand({
        Name: 'prod/db',
        SecretString: JSON.stringify({ password: 's3cr3t-pw', user: 'app' }),
      }),
    );
    await ssm.send(
      new PutParameterCommand({ Name: '/prod/api-key', Type: 'SecureString', Value: 'k3y-value' }),
    );
    sm.destroy();
    ssm.destroy();
    const taskArn = await runTask('with-secrets', [
      { name: 'DB_PASSWORD', valueFrom: `${secret.ARN}:password::` },
      { name: 'API_KEY', valueFrom: '/prod/api-key' },
    ]);
    const container = await waitFor(
      'the task to run',
      async () => {
        const got = await t.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
        const task = got.tasks?.[0];
        if (task?.lastStatus === 'STOPPED')
          throw new Error(`stopped: ${task.stoppedReason} ${task.containers?.[0].reason}`);
        return task?.lastStatus === 'RUNNING' ? task.containers?.[0].runtimeId : undefined;
      },
      30_000,
      250,
    );
    const logs = await waitFor('the output', async () => {
      const { stdout } = await run('docker', ['logs', container ?? '']);
      return stdout.includes('KEY=') ? stdout : undefined;
    });
    assert.match(logs, /^DB=s3cr3t-pw$/m);
    assert.match(logs, /^KEY=k3y-value$/m);
  });

  it('stops the task with ECS’s reason when a secret does not exist', async () => {
    const missing = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf';
    const taskArn = await runTask('missing-secret', [{ name: 'DB_PASSWORD', valueFrom: missing }]);
    const stopped = await waitFor(
      'the task to stop',
      async () => {
        const got = await t.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
        return got.tasks?.[0].lastStatus === 'STOPPED' ? got.tasks[0] : undefined;
      },
      30_000,
      250,
    );
    const reason = `${stopped.stoppedReason} ${stopped.containers?.[0].reason ?? ''}`;
    assert.match(reason, /ResourceInitializationError: unable to pull secrets or registry auth/);
    assert.match(reason, /ResourceNotFoundException/);
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
  });
});
