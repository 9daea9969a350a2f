/**
 * The gateway's own errors in EC2's words, through @aws-sdk/client-ec2 and the `aws ec2` CLI:
 * MissingParameter naming the Query parameter, InvalidAction for unknown actions (not for model
 * operations Longshore does not implement), RequestLimitExceeded (503) when throttled, and the
 * malformed-id codes; other services keep their own wording.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);

const client = (endpoint: string) =>
  new EC2Client({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

/** Runs `aws ec2 ...` expecting it to fail; returns its error line. */
async function cliError(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    await run('aws', ['--endpoint-url', endpoint, 'ec2', ...args], { env: awsCliEnv(env) });
  } catch (error) {
    return (error as { stderr: string }).stderr.trim();
  }
  throw new Error(`expected \`aws ec2 ${args.join(' ')}\` to fail`);
}

/**
 * An `ec2` service model for the CLI (AWS_DATA_PATH puts it before botocore's own) that lets it
 * send what the real model forbids: an action EC2 does not have, and CreateSubnet without VpcId.
 */
function cliModelDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-ec2-model-'));
  mkdirSync(join(dir, 'ec2', '2016-11-15'), { recursive: true });
  const model = {
    version: '2.0',
    metadata: {
      apiVersion: '2016-11-15',
      endpointPrefix: 'ec2',
      protocol: 'ec2',
      protocols: ['ec2'],
      serviceFullName: 'Amazon Elastic Compute Cloud',
      serviceId: 'EC2',
      signatureVersion: 'v4',
      uid: 'ec2-2016-11-15',
      xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15',
    },
    operations: {
      MakeCoffee: {
        name: 'MakeCoffee',
        http: { method: 'POST', requestUri: '/' },
        input: { shape: 'MakeCoffeeRequest' },
      },
      CreateSubnet: {
        name: 'CreateSubnet',
        http: { method: 'POST', requestUri: '/' },
        input: { shape: 'CreateSubnetRequest' },
      },
    },
    shapes: {
      String: { type: 'string' },
      MakeCoffeeRequest: { type: 'structure', members: {} },
      CreateSubnetRequest: { type: 'structure', members: { CidrBlock: { shape: 'String' } } },
    },
  };
  writeFileSync(join(dir, 'ec2', '2016-11-15', 'service-2.json'), JSON.stringify(model));
  return dir;
}

describe('EC2 gateway errors', () => {
  let t: TestPlane;
  let ec2: EC2Client;
  let modelDir: string;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    ec2 = client(t.plane.endpoint);
    modelDir = cliModelDir();
  });
  after(async () => {
    ec2.destroy();
    rmSync(modelDir, { recursive: true, force: true });
    await t.stop();
  });

  it('a missing required member is MissingParameter naming the Query parameter (SDK)', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => ec2.send(new CreateSubnetCommand({ CidrBlock: '10.0.0.0/24' } as never)), 'VpcId'],
      // The model's Description travels as GroupDescription.
      [() => ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web' } as never)), 'GroupDescription'],
      [() => ec2.send(new DeleteNetworkInterfaceCommand({} as never)), 'NetworkInterfaceId'],
    ];
    for (const [call, parameter] of cases) {
      const e = await awsError(call);
      assert.deepEqual(
        [e.name, e.message, e.status],
        ['MissingParameter', `The request must contain the parameter ${parameter}`, 400],
      );
    }
  });

  it('a missing required member is MissingParameter naming the Query parameter (CLI)', async () => {
    const line = await cliError(t.plane.endpoint, ['create-subnet', '--cidr-block', '10.0.0.0/24'], {
      AWS_DATA_PATH: modelDir,
    });
    assert.equal(
      line,
      'An error occurred (MissingParameter) when calling the CreateSubnet operation: The request must contain the parameter VpcId',
    );
  });

  it('an unknown action is InvalidAction "not valid for this web service" (SDK, CLI, wire)', async () => {
    // The SDK only sends the model's actions: rename one on its way out (same length, same signature).
    const renaming = client(t.plane.endpoint);
    renaming.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        if (typeof request.body === 'string')
          request.body = request.body.replace('Action=DescribeVpcs', 'Action=DescribeMoon');
        return next(args);
      },
      { step: 'build', name: 'renameAction' },
    );
    const e = await awsError(() => renaming.send(new DescribeVpcsCommand({})));
    renaming.destroy();
    assert.deepEqual(
      [e.name, e.message, e.status],
      ['InvalidAction', 'The action DescribeMoon is not valid for this web service.', 400],
    );

    const line = await cliError(t.plane.endpoint, ['make-coffee'], { AWS_DATA_PATH: modelDir });
    assert.equal(
      line,
      'An error occurred (InvalidAction) when calling the MakeCoffee operation: The action MakeCoffee is not valid for this web service.',
    );

    const res = await rawAws(t.plane.endpoint, {
      service: 'ec2',
      ...form({ Action: 'MakeCoffee', Version: '2016-11-15' }),
    });
    assert.equal(res.status, 400);
    assert.match(
      res.text,
      /^<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action MakeCoffee is not valid for this web service\.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
  });

  it('a model operation Longshore does not implement stays UnsupportedFeatureException (SDK, CLI)', async () => {
    const e = await awsError(() =>
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 })),
    );
    assert.deepEqual(
      [e.name, e.message, e.status],
      [
        'UnsupportedFeatureException',
        'Longshore does not implement RunInstances yet; docs/api-coverage-ec2.md lists what it implements.',
        400,
      ],
    );
    const line = await cliError(t.plane.endpoint, ['run-instances', '--image-id', 'ami-12345678']);
    assert.equal(
      line,
      'An error occurred (UnsupportedFeatureException) when calling the RunInstances operation: Longshore does not implement RunInstances yet; docs/api-coverage-ec2.md lists what it implements.',
    );
  });

  it('malformed ids: InvalidVpcId.Malformed, InvalidSubnetID.Malformed, InvalidGroupId.Malformed (SDK, CLI)', async () => {
    const cases: [() => Promise<unknown>, string, string][] = [
      [
        () =>
          ec2.send(
            new CreateSecurityGroupCommand({
              GroupName: 'web',
              Description: 'web',
              VpcId: 'vpc-xxxxxxxxxxxxxxx',
            }),
          ),
        'InvalidVpcId.Malformed',
        "The vpc ID 'vpc-xxxxxxxxxxxxxxx' is malformed",
      ],
      [
        () => ec2.send(new DeleteSubnetCommand({ SubnetId: 'nope' })),
        'InvalidSubnetID.Malformed',
        'Invalid id: "nope" (expecting "subnet-...")',
      ],
      [
        () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'web' })),
        'InvalidGroupId.Malformed',
        'Invalid id: "web" (expecting "sg-...")',
      ],
    ];
    for (const [call, code, message] of cases) {
      const e = await awsError(call);
      assert.deepEqual([e.name, e.message, e.status], [code, message, 400]);
    }
    const line = await cliError(t.plane.endpoint, [
      'create-subnet',
      '--vpc-id',
      'web',
      '--cidr-block',
      '10.0.0.0/24',
    ]);
    assert.equal(
      line,
      "An error occurred (InvalidVpcId.Malformed) when calling the CreateSubnet operation: The vpc ID 'web' is malformed",
    );
  });
});

describe('EC2 throttling', () => {
  let t: TestPlane;
  let ec2: EC2Client;
  before(async () => {
    // 0.005 x EC2's describe burst of 100 is half a token: every Describe call is over the limit.
    t = await startTestPlane({ controllers: false, throttle: 0.005 });
    ec2 = client(t.plane.endpoint);
  });
  after(async () => {
    ec2.destroy();
    await t.stop();
  });

  it('answers RequestLimitExceeded "Request limit exceeded." with HTTP 503 (SDK, CLI, wire)', async () => {
    const e = await awsError(() => ec2.send(new DescribeVpcsCommand({})));
    assert.deepEqual([e.name, e.message, e.status], ['RequestLimitExceeded', 'Request limit exceeded.', 503]);
    const line = await cliError(t.plane.endpoint, ['describe-vpcs'], { AWS_MAX_ATTEMPTS: '1' });
    assert.match(
      line,
      /^An error occurred \(RequestLimitExceeded\) when calling the DescribeVpcs operation \(reached max retries: 0\): Request limit exceeded\.$/,
    );
    const res = await rawAws(t.plane.endpoint, {
      service: 'ec2',
      ...form({ Action: 'DescribeVpcs', Version: '2016-11-15' }),
    });
    assert.equal(res.status, 503);
    assert.match(
      res.text,
      /^<Response><Errors><Error><Code>RequestLimitExceeded<\/Code><Message>Request limit exceeded\.<\/Message><\/Error><\/Errors><RequestID>/,
    );
  });

  it('other services keep their own throttling errors', async () => {
    const ecs = await awsError(() => t.ecs.send(new ListClustersCommand({})));
    assert.deepEqual([ecs.name, ecs.message, ecs.status], ['ThrottlingException', 'Rate exceeded', 400]);
    const sts = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const e = await awsError(() => sts.send(new GetCallerIdentityCommand({})));
    sts.destroy();
    assert.deepEqual([e.name, e.message, e.status], ['Throttling', 'Rate exceeded', 400]);
  });
});
