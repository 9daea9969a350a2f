/** ECR's repository, policy, tag and auth calls through @aws-sdk/client-ecr and the `aws ecr` CLI. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetAuthorizationTokenCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
  DescribePullThroughCacheRulesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import { createHmac } from 'node:crypto';
import { verifyRegistryPassword } from '../../src/ecr/model/auth-token.ts';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { startEcrPlane } from './ecr-plane.ts';

const run = promisify(execFile);
/** The control plane's registry token secret (cli/control-plane.ts derives it from the installation's key). */
const TOKEN_SECRET = createHmac('sha256', TEST_CREDENTIALS.secretAccessKey)
  .update('longshore-ecr-token')
  .digest('hex');

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'pull',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::000000000000:root'] },
      Action: ['ecr:BatchGetImage'],
    },
  ],
});

describe('ECR repositories API', () => {
  let t: TestPlane;
  let ecr: ECRClient;
  let host: string;
  before(async () => {
    ({ t, ecr } = await startEcrPlane());
    host = new URL(t.plane.endpoint).host;
  });
  after(async () => {
    ecr.destroy();
    await t.stop();
  });
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'ecr', ...args],
      {
        env: awsCliEnv(),
      },
    );
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };

  it('creates a repository with ECR defaults and its URI on the registry host', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
    assert.equal(repository?.repositoryName, 'team/app');
    assert.equal(repository?.registryId, '000000000000');
    assert.equal(repository?.repositoryArn, 'arn:aws:ecr:us-east-1:000000000000:repository/team/app');
    assert.equal(repository?.repositoryUri, `${host}/team/app`);
    assert.equal(repository?.imageTagMutability, 'MUTABLE');
    assert.deepEqual(repository?.imageScanningConfiguration, { scanOnPush: false });
    assert.deepEqual(repository?.encryptionConfiguration, { encryptionType: 'AES256' });
    assert.ok(repository?.createdAt instanceof Date);
  });

  it('records mutability with exclusion filters, scan on push, KMS encryption and tags', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'secure',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: {
          encryptionType: 'KMS',
          kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/abc',
        },
        tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    assert.equal(repository?.imageTagMutability, 'IMMUTABLE_WITH_EXCLUSION');
    assert.deepEqual(repository?.imageTagMutabilityExclusionFilters, [
      { filterType: 'WILDCARD', filter: 'latest*' },
    ]);
    assert.deepEqual(repository?.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repository?.encryptionConfiguration, {
      encryptionType: 'KMS',
      kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/abc',
    });
    const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: repository!.repositoryArn! }));
    assert.deepEqual(tags.tags, [{ Key: 'team', Value: 'core' }]);
  });

  it("refuses names, duplicates and settings with ECR's errors, storing nothing", async () => {
    const before = (await t.plane.regions.context('us-east-1').store.list(Kind.EcrRepository)).length;
    const upper = await awsError(() => ecr.send(new CreateRepositoryCommand({ repositoryName: 'Upper' })));
    assert.equal(upper.name, 'InvalidParameterException');
    assert.equal(
      upper.message,
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''",
    );
    const short = await awsError(() => ecr.send(new CreateRepositoryCommand({ repositoryName: 'a' })));
    assert.equal(
      short.message,
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'",
    );
    const dup = await awsError(() => ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' })));
    assert.equal(dup.name, 'RepositoryAlreadyExistsException');
    assert.equal(
      dup.message,
      "The repository with name 'team/app' already exists in the registry with id '000000000000'",
    );
    const filters = await awsError(() =>
      ecr.send(
        new CreateRepositoryCommand({ repositoryName: 'x1', imageTagMutability: 'MUTABLE_WITH_EXCLUSION' }),
      ),
    );
    assert.equal(filters.name, 'InvalidParameterException');
    const badEnum = await awsError(() =>
      ecr.send(
        new CreateRepositoryCommand({ repositoryName: 'x2', imageTagMutability: 'SOMETIMES' as 'MUTABLE' }),
      ),
    );
    assert.equal(badEnum.name, 'InvalidParameterException');
    const aes = await awsError(() =>
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: 'x3',
          encryptionConfiguration: { encryptionType: 'AES256', kmsKey: 'k' },
        }),
      ),
    );
    assert.equal(aes.name, 'InvalidParameterException');
    const reserved = await awsError(() =>
      ecr.send(new CreateRepositoryCommand({ repositoryName: 'x4', tags: [{ Key: 'aws:x', Value: 'v' }] })),
    );
    assert.equal(reserved.name, 'InvalidTagParameterException');
    assert.equal((await t.plane.regions.context('us-east-1').store.list(Kind.EcrRepository)).length, before);
  });

  it('describes by name and pages through every repository', async () => {
    for (const n of ['page-a', 'page-b', 'page-c'])
      await ecr.send(new CreateRepositoryCommand({ repositoryName: n }));
    const named = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['page-b', 'team/app'] }),
    );
    assert.deepEqual(
      named.repositories?.map((r) => r.repositoryName),
      ['page-b', 'team/app'],
    );
    const missing = await awsError(() =>
      ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })),
    );
    assert.equal(missing.name, 'RepositoryNotFoundException');
    assert.equal(
      missing.message,
      "The repository with name 'nope' does not exist in the registry with id '000000000000'",
    );
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken }));
      assert.ok((page.repositories?.length ?? 0) <= 2);
      seen.push(...(page.repositories ?? []).map((r) => r.repositoryName!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, [...seen].sort());
    for (const n of ['page-a', 'page-b', 'page-c', 'secure', 'team/app']) assert.ok(seen.includes(n), n);
    const badMax = await awsError(() => ecr.send(new DescribeRepositoriesCommand({ maxResults: 1001 })));
    assert.equal(badMax.name, 'InvalidParameterException');
  });

  it('changes tag mutability and scanning, and answers the new settings', async () => {
    const mut = await ecr.send(
      new PutImageTagMutabilityCommand({ repositoryName: 'page-a', imageTagMutability: 'IMMUTABLE' }),
    );
    assert.deepEqual(
      {
        registryId: mut.registryId,
        repositoryName: mut.repositoryName,
        imageTagMutability: mut.imageTagMutability,
      },
      { registryId: '000000000000', repositoryName: 'page-a', imageTagMutability: 'IMMUTABLE' },
    );
    const scan = await ecr.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: 'page-a',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    assert.deepEqual(scan.imageScanningConfiguration, { scanOnPush: true });
    const [repo] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['page-a'] })))
      .repositories!;
    assert.equal(repo.imageTagMutability, 'IMMUTABLE');
    assert.deepEqual(repo.imageScanningConfiguration, { scanOnPush: true });
    const nf = await awsError(() =>
      ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'ghost', imageTagMutability: 'MUTABLE' })),
    );
    assert.equal(nf.name, 'RepositoryNotFoundException');
  });

  it('sets, gets and deletes a repository policy; refuses one that is not a policy', async () => {
    const none = await awsError(() => ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'page-b' })));
    assert.equal(none.name, 'RepositoryPolicyNotFoundException');
    assert.equal(
      none.message,
      "Repository policy does not exist for the repository with name 'page-b' in the registry with id '000000000000'",
    );
    const bad = await awsError(() =>
      ecr.send(
        new SetRepositoryPolicyCommand({ repositoryName: 'page-b', policyText: '{"Statement": "x"}' }),
      ),
    );
    assert.equal(bad.name, 'InvalidParameterException');
    assert.equal(
      bad.message,
      "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
    );
    const set = await ecr.send(
      new SetRepositoryPolicyCommand({ repositoryName: 'page-b', policyText: POLICY }),
    );
    assert.equal(set.policyText, POLICY);
    assert.equal(
      (await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'page-b' }))).policyText,
      POLICY,
    );
    const deleted = await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'page-b' }));
    assert.equal(deleted.policyText, POLICY);
    const gone = await awsError(() =>
      ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'page-b' })),
    );
    assert.equal(gone.name, 'RepositoryPolicyNotFoundException');
  });

  it('tags and untags a repository by ARN', async () => {
    const arn = 'arn:aws:ecr:us-east-1:000000000000:repository/page-c';
    await ecr.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'a', Value: '3' }] }));
    await ecr.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['b', 'missing'] }));
    assert.deepEqual((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [
      { Key: 'a', Value: '3' },
    ]);
    const badArn = await awsError(() =>
      ecr.send(new ListTagsForResourceCommand({ resourceArn: 'arn:nope' })),
    );
    assert.equal(badArn.name, 'InvalidParameterException');
    assert.equal(
      badArn.message,
      "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'",
    );
    const nf = await awsError(() =>
      ecr.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:ecr:us-east-1:000000000000:repository/ghost',
        }),
      ),
    );
    assert.equal(nf.name, 'RepositoryNotFoundException');
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const many = await awsError(() => ecr.send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })));
    assert.equal(many.name, 'TooManyTagsException');
  });

  it('deletes a repository and answers it', async () => {
    const { repository } = await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'page-c' }));
    assert.equal(repository?.repositoryName, 'page-c');
    const again = await awsError(() => ecr.send(new DeleteRepositoryCommand({ repositoryName: 'page-c' })));
    assert.equal(again.name, 'RepositoryNotFoundException');
  });

  it('gives an authorization token of AWS:<password> the registry accepts, valid 12 hours', async () => {
    const started = Date.now();
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    assert.equal(authorizationData?.length, 1);
    const data = authorizationData![0];
    assert.equal(data.proxyEndpoint, `http://${host}`);
    const decoded = Buffer.from(data.authorizationToken!, 'base64').toString('utf8');
    assert.ok(decoded.startsWith('AWS:'));
    const password = decoded.slice(4);
    assert.partialDeepStrictEqual(verifyRegistryPassword(TOKEN_SECRET, password, Date.now()), {
      accountId: '000000000000',
      region: 'us-east-1',
    });
    const expires = data.expiresAt!.getTime();
    assert.ok(Math.abs(expires - started - 12 * 3600_000) < 60_000);
    assert.equal(verifyRegistryPassword(TOKEN_SECRET, password, expires), undefined);
    assert.equal(verifyRegistryPassword('another-secret', password, Date.now()), undefined);
    assert.equal(verifyRegistryPassword(TOKEN_SECRET, `${password}x`, Date.now()), undefined);
  });

  it('answers UnsupportedFeatureException for an operation not implemented', async () => {
    const e = await awsError(() => ecr.send(new DescribePullThroughCacheRulesCommand({})));
    assert.equal(e.name, 'UnsupportedFeatureException');
    assert.equal(e.status, 400);
  });

  it('serves `aws ecr` commands, get-login-password included', async () => {
    const created = await aws(
      'create-repository',
      '--repository-name',
      'cli/repo',
      '--image-tag-mutability',
      'IMMUTABLE',
    );
    assert.equal(created.repository.repositoryUri, `${host}/cli/repo`);
    const described = await aws('describe-repositories', '--repository-names', 'cli/repo');
    assert.equal(described.repositories[0].imageTagMutability, 'IMMUTABLE');
    const { stdout } = await run('aws', ['--endpoint-url', t.plane.endpoint, 'ecr', 'get-login-password'], {
      env: awsCliEnv(),
    });
    const password = stdout.trim();
    assert.partialDeepStrictEqual(verifyRegistryPassword(TOKEN_SECRET, password, Date.now()), {
      accountId: '000000000000',
      region: 'us-east-1',
    });
    await assert.rejects(
      run(
        'aws',
        ['--endpoint-url', t.plane.endpoint, 'ecr', 'describe-repositories', '--repository-names', 'nope'],
        {
          env: awsCliEnv(),
        },
      ),
      (e: { stderr: string }) =>
        e.stderr.includes('(RepositoryNotFoundException)') &&
        e.stderr.includes(
          "The repository with name 'nope' does not exist in the registry with id '000000000000'",
        ),
    );
    await aws('delete-repository', '--repository-name', 'cli/repo');
  });
});
