/** The `aws` CLI against IAM: create-user, and a role's trust policy decoded back to JSON as the CLI does for IAM. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);

describe('aws iam', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', t.plane.endpoint, '--output', 'json', ...args], {
      env: awsCliEnv(),
    });
    return JSON.parse(stdout) as Record<string, Record<string, unknown>>;
  };

  it('creates a user', async () => {
    const out = await aws('iam', 'create-user', '--user-name', 'cli-user', '--path', '/cli/');
    assert.equal(out.User?.UserName, 'cli-user');
    assert.equal(out.User?.Arn, 'arn:aws:iam::000000000000:user/cli/cli-user');
    assert.match(String(out.User?.CreateDate), /^\d{4}-\d\d-\d\dT/);
    const dup = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, 'iam', 'create-user', '--user-name', 'cli-user'],
      {
        env: awsCliEnv(),
      },
    ).catch((error: { stderr: string }) => error);
    assert.match(
      (dup as { stderr: string }).stderr,
      /EntityAlreadyExists.*User with name cli-user already exists\./,
    );
  });

  it('reads a role trust policy back as JSON', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    await aws(
      'iam',
      'create-role',
      '--role-name',
      'cli-role',
      '--assume-role-policy-document',
      JSON.stringify(trust),
    );
    const out = await aws('iam', 'get-role', '--role-name', 'cli-role');
    assert.deepEqual(out.Role?.AssumeRolePolicyDocument, trust);
  });
});
