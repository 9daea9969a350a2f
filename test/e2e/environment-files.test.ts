/**
 * `environmentFiles` on real Docker: a task gets variables from `.env` files in Longshore's S3, a
 * Secrets Manager secret and plain `environment`, with ECS's precedence (secrets over
 * `environment` over files; the first file that sets a name wins); a file that does not exist
 * stops the task with ECS's ResourceInitializationError.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);
const haveDocker = spawnSync('docker', ['image', 'inspect', 'longshore-test/busybox:latest']).status === 0;

describe('environment files', { skip: !haveDocker && 'docker or the test image is missing' }, () => {
  let t: TestPlane;
  let a: TestAgent;
  let secretArn = '';
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
    const options = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    const s3 = new S3Client({ ...options, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'app-config' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'app-config',
        Key: 'prod/base.env',
        Body: '# shared settings\nLOG_LEVEL=info\nFROM_FILE=base\nOVERRIDDEN=by-file\nDB_PASSWORD=from-file\n',
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'app-config',
        Key: 'prod/extra.env',
        Body: 'FROM_FILE=extra\nEXTRA=yes\n',
      }),
    );
    s3.destroy();
    const sm = new SecretsManagerClient(options);
    secretArn =
      (await sm.send(new CreateSecretCommand({ Name: 'prod/db-password', SecretString: 'pw-from-secret' })))
        .ARN ?? '';
    sm.destroy();
  });
  after(async () => {
    await a?.stop();
    await t?.stop();
  });

  const runTask = async (family: string, files: string[]) => {
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {
            name: 'app',
            image: 'longshore-test/busybox:latest',
            memory: 32,
            stopTimeout: 1,
            command: ['sh', '-c', 'env | sort | sed "s/^/ENV:/"; echo DONE; sleep 60'],
            environment: [
              { name: 'OVERRIDDEN', value: 'by-environment' },
              { name: 'PLAIN', value: 'plain' },
            ],
            secrets: [{ name: 'DB_PASSWORD', valueFrom: secretArn }],
            environmentFiles: files.map((value) => ({ type: 's3', value })),
          },
        ],
      }),
    );
    const out = await t.ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition?.taskDefinitionArn }),
    );
    return out.tasks?.[0].taskArn ?? '';
  };

  it('merges files, a secret and environment with ECS’s precedence', async () => {
    const taskArn = await runTask('with-env-files', [
      'arn:aws:s3:::app-config/prod/base.env',
      'arn:aws:s3:::app-config/prod/extra.env',
    ]);
    const container = await waitFor(
      'the task to run',
      async () => {
        const task = (await t.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0];
        if (task?.lastStatus === 'STOPPED')
          throw new Error(`stopped: ${task.stoppedReason} ${task.containers?.[0].reason}`);
        return task?.lastStatus === 'RUNNING' ? task.containers?.[0].runtimeId : undefined;
      },
      30_000,
      250,
    );
    const logs = await waitFor('the output', async () => {
      const { stdout } = await run('docker', ['logs', container ?? '']);
      return stdout.includes('DONE') ? stdout : undefined;
    });
    assert.match(logs, /^ENV:LOG_LEVEL=info$/m);
    assert.match(logs, /^ENV:FROM_FILE=base$/m, 'the first file that sets a name wins');
    assert.match(logs, /^ENV:EXTRA=yes$/m);
    assert.match(logs, /^ENV:OVERRIDDEN=by-environment$/m, 'environment wins over files');
    assert.match(logs, /^ENV:PLAIN=plain$/m);
    assert.match(logs, /^ENV:DB_PASSWORD=pw-from-secret$/m, 'secrets win over files');
  });

  it('stops the task with ECS’s reason when a file does not exist', async () => {
    const taskArn = await runTask('missing-env-file', ['arn:aws:s3:::app-config/prod/missing.env']);
    const stopped = await waitFor(
      'the task to stop',
      async () => {
        const task = (await t.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0];
        return task?.lastStatus === 'STOPPED' ? task : undefined;
      },
      30_000,
      250,
    );
    const reason = `${stopped.stoppedReason} ${stopped.containers?.[0].reason ?? ''}`;
    assert.match(
      reason,
      /ResourceInitializationError: failed to download env files: unable to download env file with key prod\/missing\.env from bucket app-config, error: NoSuchKey/,
    );
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
  });
});
