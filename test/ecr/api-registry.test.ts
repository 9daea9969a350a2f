/**
 * ECR's registry-level calls through @aws-sdk/client-ecr (and one `aws ecr` CLI call): the registry
 * policy, account settings, the registry scanning configuration (honoured by scan on push through
 * the registry), replication to another region (done by the replication controller, crash-safe
 * across a restart), and ListImageReferrers.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  BatchGetImageCommand,
  BatchGetRepositoryScanningConfigurationCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  type CreateRepositoryCreationTemplateCommandInput,
  DeleteRepositoryCreationTemplateCommand,
  DescribeRepositoryCreationTemplatesCommand,
  GetLifecyclePolicyCommand,
  ListTagsForResourceCommand,
  UpdateRepositoryCreationTemplateCommand,
  DeleteRegistryPolicyCommand,
  DescribeImageReplicationStatusCommand,
  type DescribeImageReplicationStatusResponse,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  ListImageReferrersCommand,
  ListImagesCommand,
  PutAccountSettingCommand,
  PutImageCommand,
  PutRegistryPolicyCommand,
  PutRegistryScanningConfigurationCommand,
  PutReplicationConfigurationCommand,
} from '@aws-sdk/client-ecr';
import type { RepositoryRecord } from '../../src/ecr/model/records.ts';
import { effectiveScanning, scanningFilterMatches } from '../../src/ecr/model/registry-settings.ts';
import { regionView } from '../../src/store/region-view.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, TEST_CREDENTIALS } from '../support/control-plane.ts';
import {
  basic,
  imageManifest,
  passwordAt,
  pushBlob,
  pushImage,
  type RegistryFixture,
  startRegistry,
} from './registry-client.ts';

const run = promisify(execFile);

const policy = (actions: string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'replication',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: actions,
        Resource: 'arn:aws:ecr:us-east-1:000000000000:repository/*',
      },
    ],
  });

const regionClient = (endpoint: string, region: string) =>
  new ECRClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

/** Polls DescribeImageReplicationStatus until no destination is IN_PROGRESS. */
async function replicated(
  ecr: ECRClient,
  repositoryName: string,
  imageDigest: string,
): Promise<DescribeImageReplicationStatusResponse> {
  for (let i = 0; i < 200; i++) {
    const status = await ecr.send(
      new DescribeImageReplicationStatusCommand({ repositoryName, imageId: { imageDigest } }),
    );
    const statuses = status.replicationStatuses ?? [];
    if (statuses.length > 0 && statuses.every((s) => s.status !== 'IN_PROGRESS')) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`replication of ${repositoryName}@${imageDigest} did not finish`);
}

describe('ECR scanning filters', () => {
  it('match names containing a filter without `*`, and whole names with one', () => {
    assert.equal(scanningFilterMatches('prod', 'team/prod-api'), true);
    assert.equal(scanningFilterMatches('prod', 'team/dev'), false);
    assert.equal(scanningFilterMatches('prod*', 'team/prod-api'), false);
    assert.equal(scanningFilterMatches('*prod*', 'team/prod-api'), true);
    assert.equal(scanningFilterMatches('team/*', 'team/x'), true);
    assert.equal(scanningFilterMatches('*', 'anything'), true);
  });

  it('give a repository the strongest matching rule, its own scanOnPush kept', () => {
    const repo = (name: string, scanOnPush: boolean) =>
      ({ repositoryName: name, imageScanningConfiguration: { scanOnPush } }) as RepositoryRecord;
    const config = {
      scanType: 'BASIC' as const,
      rules: [
        {
          scanFrequency: 'MANUAL' as const,
          repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }],
        },
        {
          scanFrequency: 'SCAN_ON_PUSH' as const,
          repositoryFilters: [{ filter: 'prod', filterType: 'WILDCARD' as const }],
        },
      ],
    };
    assert.deepEqual(effectiveScanning(repo('prod-a', false), config), {
      scanFrequency: 'SCAN_ON_PUSH',
      scanOnPush: true,
      appliedScanFilters: [{ filter: 'prod', filterType: 'WILDCARD' }],
    });
    assert.deepEqual(effectiveScanning(repo('dev', false), config), {
      scanFrequency: 'MANUAL',
      scanOnPush: false,
      appliedScanFilters: [{ filter: '*', filterType: 'WILDCARD' }],
    });
    assert.equal(effectiveScanning(repo('dev', true), config).scanOnPush, true);
    assert.deepEqual(effectiveScanning(repo('dev', false), { scanType: 'BASIC', rules: [] }), {
      scanFrequency: 'MANUAL',
      scanOnPush: false,
      appliedScanFilters: [],
    });
  });
});

describe('ECR registry settings API', () => {
  let reg: RegistryFixture;
  let ecr: ECRClient;
  before(async () => {
    reg = await startRegistry();
    ecr = reg.ecr;
  });
  after(async () => {
    await reg.stop();
  });

  it('stores, answers and deletes the registry policy, checked as a repository policy is', async () => {
    const missing = await awsError(() => ecr.send(new GetRegistryPolicyCommand({})));
    assert.equal(missing.name, 'RegistryPolicyNotFoundException');
    assert.equal(missing.message, "Registry policy does not exist in the registry with id '000000000000'");
    for (const bad of [
      '{',
      '{"Statement":[]}',
      JSON.stringify({ Statement: { Effect: 'Allow', Action: 'x' } }),
    ]) {
      const e = await awsError(() => ecr.send(new PutRegistryPolicyCommand({ policyText: bad })));
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(
        e.message,
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'",
      );
    }
    const text = policy(['ecr:ReplicateImage', 'ecr:CreateRepository', 'ecr:BatchGetImage']);
    const put = await ecr.send(new PutRegistryPolicyCommand({ policyText: text }));
    assert.deepEqual([put.registryId, put.policyText], ['000000000000', text]);
    assert.equal((await ecr.send(new GetRegistryPolicyCommand({}))).policyText, text);
    const deleted = await ecr.send(new DeleteRegistryPolicyCommand({}));
    assert.equal(deleted.policyText, text);
    assert.equal(
      (await awsError(() => ecr.send(new DeleteRegistryPolicyCommand({})))).name,
      'RegistryPolicyNotFoundException',
    );
  });

  it('answers account settings, and REGISTRY_POLICY_SCOPE V1 narrows the registry policy', async () => {
    const get = async (name: string) => (await ecr.send(new GetAccountSettingCommand({ name }))).value;
    assert.equal(await get('BASIC_SCAN_TYPE_VERSION'), 'AWS_NATIVE');
    assert.equal(await get('REGISTRY_POLICY_SCOPE'), 'V2');
    assert.equal(await get('BLOB_MOUNTING'), 'DISABLED');
    const badName = await awsError(() => ecr.send(new GetAccountSettingCommand({ name: 'NOPE' })));
    assert.equal(badName.name, 'InvalidParameterException');
    assert.match(badName.message, /BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING/);
    const badValue = await awsError(() =>
      ecr.send(new PutAccountSettingCommand({ name: 'REGISTRY_POLICY_SCOPE', value: 'V3' })),
    );
    assert.equal(badValue.name, 'InvalidParameterException');
    const put = await ecr.send(new PutAccountSettingCommand({ name: 'REGISTRY_POLICY_SCOPE', value: 'V1' }));
    assert.deepEqual([put.name, put.value], ['REGISTRY_POLICY_SCOPE', 'V1']);
    assert.equal(await get('REGISTRY_POLICY_SCOPE'), 'V1');
    const refused = await awsError(() =>
      ecr.send(new PutRegistryPolicyCommand({ policyText: policy(['ecr:BatchGetImage']) })),
    );
    assert.equal(refused.name, 'InvalidParameterException');
    await ecr.send(new PutRegistryPolicyCommand({ policyText: policy(['ecr:ReplicateImage']) }));
    await ecr.send(new PutAccountSettingCommand({ name: 'REGISTRY_POLICY_SCOPE', value: 'V2' }));
    await ecr.send(new DeleteRegistryPolicyCommand({}));
    // Settings are per region.
    const west = regionClient(reg.tp.plane.endpoint, 'us-west-2');
    assert.equal(
      (await west.send(new GetAccountSettingCommand({ name: 'BASIC_SCAN_TYPE_VERSION' }))).value,
      'AWS_NATIVE',
    );
    west.destroy();
  });

  it('checks the registry scanning configuration: BASIC rules only', async () => {
    const initial = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    assert.equal(initial.registryId, '000000000000');
    assert.deepEqual(initial.scanningConfiguration, { scanType: 'BASIC', rules: [] });
    const enhanced = await awsError(() =>
      ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [] })),
    );
    assert.equal(enhanced.name, 'ValidationException');
    const continuous = await awsError(() =>
      ecr.send(
        new PutRegistryScanningConfigurationCommand({
          scanType: 'BASIC',
          rules: [
            {
              scanFrequency: 'CONTINUOUS_SCAN',
              repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
            },
          ],
        }),
      ),
    );
    assert.equal(continuous.name, 'InvalidParameterException');
    const badFilter = await awsError(() =>
      ecr.send(
        new PutRegistryScanningConfigurationCommand({
          scanType: 'BASIC',
          rules: [
            {
              scanFrequency: 'SCAN_ON_PUSH',
              repositoryFilters: [{ filter: 'UPPER', filterType: 'WILDCARD' }],
            },
          ],
        }),
      ),
    );
    assert.equal(badFilter.name, 'InvalidParameterException');
    const badFrequency = await awsError(() =>
      ecr.send(
        new PutRegistryScanningConfigurationCommand({
          rules: [{ scanFrequency: 'HOURLY' as 'MANUAL', repositoryFilters: [] }],
        }),
      ),
    );
    assert.equal(badFrequency.name, 'InvalidParameterException');
  });

  it('scans on push an image pushed through the registry to a repository a SCAN_ON_PUSH rule matches', async () => {
    const rules = [
      {
        scanFrequency: 'SCAN_ON_PUSH' as const,
        repositoryFilters: [{ filter: 'scan-*', filterType: 'WILDCARD' as const }],
      },
    ];
    const put = await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules }));
    assert.deepEqual(put.registryScanningConfiguration, { scanType: 'BASIC', rules });
    await reg.createRepository('scan-me');
    await reg.createRepository('plain');
    const batch = await ecr.send(
      new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['scan-me', 'plain', 'ghost'] }),
    );
    assert.deepEqual(
      batch.scanningConfigurations?.map((c) => [
        c.repositoryName,
        c.scanFrequency,
        c.scanOnPush,
        c.appliedScanFilters,
      ]),
      [
        ['scan-me', 'SCAN_ON_PUSH', true, rules[0].repositoryFilters],
        ['plain', 'MANUAL', false, []],
      ],
    );
    assert.equal(
      batch.scanningConfigurations?.[0].repositoryArn,
      'arn:aws:ecr:us-east-1:000000000000:repository/scan-me',
    );
    assert.deepEqual(batch.failures, [
      { repositoryName: 'ghost', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' },
    ]);
    // The repository's own scanOnPush is false: the registry rule alone asks for the scan.
    const repo = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['scan-me'] }));
    assert.equal(repo.repositories?.[0].imageScanningConfiguration?.scanOnPush, false);
    const pushed = await pushImage(reg, 'scan-me', 'v1', 'scan');
    const findings = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'scan-me',
        imageId: { imageDigest: pushed.digest },
      }),
    );
    assert.ok(['IN_PROGRESS', 'COMPLETE', 'FAILED'].includes(findings.imageScanStatus?.status ?? ''));
    // PutImage asks the same question (one function, in the push's transaction).
    await reg.createRepository('scan-api');
    const viaApi = await ecr.send(
      new PutImageCommand({
        repositoryName: 'scan-api',
        imageTag: 'v1',
        imageManifest: pushed.manifest.toString(),
      }),
    );
    const apiFindings = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'scan-api',
        imageId: { imageDigest: viaApi.image?.imageId?.imageDigest },
      }),
    );
    assert.ok(['IN_PROGRESS', 'COMPLETE', 'FAILED'].includes(apiFindings.imageScanStatus?.status ?? ''));
    // Not matched: no scan.
    const other = await pushImage(reg, 'plain', 'v1', 'plain');
    const none = await awsError(() =>
      ecr.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: 'plain',
          imageId: { imageDigest: other.digest },
        }),
      ),
    );
    assert.equal(none.name, 'ScanNotFoundException');
  });

  it('checks replication configurations and answers them in DescribeRegistry', async () => {
    const initial = await ecr.send(new DescribeRegistryCommand({}));
    assert.deepEqual([initial.registryId, initial.replicationConfiguration], ['000000000000', { rules: [] }]);
    const same = await awsError(() =>
      ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: {
            rules: [{ destinations: [{ region: 'us-east-1', registryId: '000000000000' }] }],
          },
        }),
      ),
    );
    assert.equal(same.name, 'InvalidParameterException');
    assert.match(same.message, /cannot be the same as the source registry/);
    const badType = await awsError(() =>
      ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: {
            rules: [
              {
                destinations: [{ region: 'us-west-2', registryId: '000000000000' }],
                repositoryFilters: [{ filter: 'prod', filterType: 'WILDCARD' as 'PREFIX_MATCH' }],
              },
            ],
          },
        }),
      ),
    );
    assert.equal(badType.name, 'InvalidParameterException');
    const badRegion = await awsError(() =>
      ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: {
            rules: [{ destinations: [{ region: 'US_WEST', registryId: '000000000000' }] }],
          },
        }),
      ),
    );
    assert.equal(badRegion.name, 'InvalidParameterException');
    const missing = await awsError(() => ecr.send(new PutReplicationConfigurationCommand({} as never)));
    assert.equal(missing.name, 'InvalidParameterException');
  });

  it('replicates an image pushed through the registry to the destination region', async () => {
    const config = {
      rules: [
        {
          destinations: [
            { region: 'us-west-2', registryId: '000000000000' },
            { region: 'eu-west-1', registryId: '111122223333' },
          ],
          repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' as const }],
        },
      ],
    };
    await ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: config }));
    assert.deepEqual((await ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration, config);
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'prod/app', imageTagMutability: 'IMMUTABLE' }),
    );
    await reg.createRepository('dev/app');
    const pushed = await pushImage(reg, 'prod/app', 'v1', 'replicate me');
    const status = await replicated(ecr, 'prod/app', pushed.digest);
    assert.deepEqual(status.imageId, { imageDigest: pushed.digest });
    assert.deepEqual(
      status.replicationStatuses?.map((s) => [s.region, s.registryId, s.status, s.failureCode]),
      [
        ['us-west-2', '000000000000', 'COMPLETE', undefined],
        ['eu-west-1', '111122223333', 'FAILED', 'REGISTRY_NOT_FOUND'],
      ],
    );
    const west = regionClient(reg.tp.plane.endpoint, 'us-west-2');
    try {
      const repos = await west.send(new DescribeRepositoriesCommand({ repositoryNames: ['prod/app'] }));
      assert.equal(
        repos.repositories?.[0].repositoryArn,
        'arn:aws:ecr:us-west-2:000000000000:repository/prod/app',
      );
      assert.equal(repos.repositories?.[0].imageTagMutability, 'IMMUTABLE');
      const images = await west.send(new DescribeImagesCommand({ repositoryName: 'prod/app' }));
      assert.deepEqual(
        images.imageDetails?.map((d) => [d.imageDigest, d.imageTags]),
        [[pushed.digest, ['v1']]],
      );
      const got = await west.send(
        new BatchGetImageCommand({ repositoryName: 'prod/app', imageIds: [{ imageTag: 'v1' }] }),
      );
      assert.equal(got.images?.[0].imageManifest, pushed.manifest.toString());
      // The destination region's registry serves it (a password of that region).
      const westAuth = { auth: basic(passwordAt(Date.now(), 'us-west-2')) };
      const pulled = await reg.call('GET', '/v2/prod/app/manifests/v1', westAuth);
      assert.equal(pulled.status, 200);
      assert.equal(pulled.headers.get('docker-content-digest'), pushed.digest);
      assert.equal((await reg.call('GET', `/v2/prod/app/blobs/${pushed.layer}`, westAuth)).status, 200);
      // PutImage replicates too (a new tag on the same image is a push).
      await ecr.send(
        new PutImageCommand({
          repositoryName: 'prod/app',
          imageTag: 'v2',
          imageManifest: pushed.manifest.toString(),
        }),
      );
      await replicated(ecr, 'prod/app', pushed.digest);
      const tags = await west.send(new ListImagesCommand({ repositoryName: 'prod/app' }));
      assert.deepEqual(tags.imageIds?.map((i) => i.imageTag).sort(), ['v1', 'v2']);
      // A repository no rule matches stays where it is.
      const dev = await pushImage(reg, 'dev/app', 'v1', 'stays');
      const devStatus = await ecr.send(
        new DescribeImageReplicationStatusCommand({ repositoryName: 'dev/app', imageId: { imageTag: 'v1' } }),
      );
      assert.deepEqual([devStatus.imageId?.imageDigest, devStatus.replicationStatuses], [dev.digest, []]);
      const notThere = await awsError(() =>
        west.send(new DescribeRepositoriesCommand({ repositoryNames: ['dev/app'] })),
      );
      assert.equal(notThere.name, 'RepositoryNotFoundException');
    } finally {
      west.destroy();
    }
    const unknown = await awsError(() =>
      ecr.send(
        new DescribeImageReplicationStatusCommand({
          repositoryName: 'prod/app',
          imageId: { imageTag: 'nope' },
        }),
      ),
    );
    assert.equal(unknown.name, 'ImageNotFoundException');
  });

  it('replicates a manifest list with the images it names', async () => {
    await reg.createRepository('prod/multi');
    const amd = await pushImage(reg, 'prod/multi', 'amd64', 'amd64');
    const arm = await pushImage(reg, 'prod/multi', 'arm64', 'arm64');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [amd, arm].map((m) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: m.digest,
          size: m.manifest.length,
        })),
      }),
    );
    const put = await reg.call('PUT', '/v2/prod/multi/manifests/latest', {
      body: index,
      headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
    });
    assert.equal(put.status, 201);
    const indexDigest = put.headers.get('docker-content-digest') ?? '';
    await replicated(ecr, 'prod/multi', indexDigest);
    const west = regionClient(reg.tp.plane.endpoint, 'us-west-2');
    try {
      const listed = await west.send(new ListImagesCommand({ repositoryName: 'prod/multi' }));
      assert.deepEqual(
        listed.imageIds?.map((i) => i.imageDigest).sort(),
        [amd.digest, arm.digest, indexDigest].sort(),
      );
      assert.deepEqual(Object.fromEntries(listed.imageIds?.map((i) => [i.imageTag, i.imageDigest]) ?? []), {
        latest: indexDigest,
        amd64: amd.digest,
        arm64: arm.digest,
      });
    } finally {
      west.destroy();
    }
  });

  it('checks, answers, updates and deletes repository creation templates', async () => {
    const bad = async (
      input: Partial<CreateRepositoryCreationTemplateCommandInput>,
      name = 'InvalidParameterException',
    ) => {
      const e = await awsError(() =>
        ecr.send(
          new CreateRepositoryCreationTemplateCommand({
            prefix: 'ok',
            appliedFor: ['REPLICATION'],
            ...input,
          }),
        ),
      );
      assert.equal(e.name, name, JSON.stringify(input));
    };
    await bad({ prefix: 'Bad Prefix' });
    await bad({ appliedFor: [] });
    await bad({ appliedFor: ['SOMETIMES' as 'REPLICATION'] });
    await bad({
      encryptionConfiguration: {
        encryptionType: 'AES256',
        kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/abc',
      },
    });
    await bad({ lifecyclePolicy: '{"rules":[]}' });
    await bad({ repositoryPolicy: '{}' });
    await bad({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' });
    await bad({ resourceTags: [{ Key: 'aws:reserved', Value: 'x' }] }, 'InvalidTagParameterException');
    const created = await ecr.send(
      new CreateRepositoryCreationTemplateCommand({
        prefix: 'team',
        description: 'team repositories',
        appliedFor: ['REPLICATION', 'PULL_THROUGH_CACHE'],
        imageTagMutability: 'IMMUTABLE',
        resourceTags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    assert.equal(created.registryId, '000000000000');
    const template = created.repositoryCreationTemplate;
    assert.deepEqual(
      [
        template?.prefix,
        template?.imageTagMutability,
        template?.encryptionConfiguration,
        template?.appliedFor,
      ],
      ['team', 'IMMUTABLE', { encryptionType: 'AES256' }, ['REPLICATION', 'PULL_THROUGH_CACHE']],
    );
    assert.ok(template?.createdAt instanceof Date);
    await bad({ prefix: 'team' }, 'TemplateAlreadyExistsException');
    await ecr.send(
      new CreateRepositoryCreationTemplateCommand({ prefix: 'ROOT', appliedFor: ['CREATE_ON_PUSH'] }),
    );
    const all = await ecr.send(new DescribeRepositoryCreationTemplatesCommand({}));
    assert.deepEqual(
      all.repositoryCreationTemplates?.map((t) => t.prefix),
      ['ROOT', 'team'],
    );
    const one = await ecr.send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: ['team'] }));
    assert.equal(one.repositoryCreationTemplates?.[0].description, 'team repositories');
    const updated = await ecr.send(
      new UpdateRepositoryCreationTemplateCommand({ prefix: 'team', imageTagMutability: 'MUTABLE' }),
    );
    assert.deepEqual(
      [
        updated.repositoryCreationTemplate?.imageTagMutability,
        updated.repositoryCreationTemplate?.description,
      ],
      ['MUTABLE', 'team repositories'],
    );
    const missing = await awsError(() =>
      ecr.send(new UpdateRepositoryCreationTemplateCommand({ prefix: 'nobody', description: 'x' })),
    );
    assert.equal(missing.name, 'TemplateNotFoundException');
    assert.equal(
      (await ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'ROOT' })))
        .repositoryCreationTemplate?.prefix,
      'ROOT',
    );
    assert.equal(
      (await awsError(() => ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'ROOT' })))).name,
      'TemplateNotFoundException',
    );
    await ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'team' }));
  });

  it("creates a replicated repository from the destination region's REPLICATION template", async () => {
    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 },
          action: { type: 'expire' },
        },
      ],
    });
    const west = regionClient(reg.tp.plane.endpoint, 'us-west-2');
    try {
      await west.send(
        new CreateRepositoryCreationTemplateCommand({
          prefix: 'tmpl',
          appliedFor: ['REPLICATION'],
          imageTagMutability: 'MUTABLE',
          resourceTags: [{ Key: 'made-by', Value: 'replication' }],
          lifecyclePolicy,
        }),
      );
      const current = (await ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration;
      await ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: {
            rules: [
              ...(current?.rules ?? []),
              {
                destinations: [{ region: 'us-west-2', registryId: '000000000000' }],
                repositoryFilters: [{ filter: 'tmpl', filterType: 'PREFIX_MATCH' }],
              },
            ],
          },
        }),
      );
      await ecr.send(
        new CreateRepositoryCommand({ repositoryName: 'tmpl/app', imageTagMutability: 'IMMUTABLE' }),
      );
      const pushed = await pushImage(reg, 'tmpl/app', 'v1', 'templated');
      await replicated(ecr, 'tmpl/app', pushed.digest);
      const repo = (await west.send(new DescribeRepositoriesCommand({ repositoryNames: ['tmpl/app'] })))
        .repositories?.[0];
      assert.equal(repo?.imageTagMutability, 'MUTABLE', 'the template, not the source');
      const tags = await west.send(new ListTagsForResourceCommand({ resourceArn: repo?.repositoryArn }));
      assert.deepEqual(tags.tags, [{ Key: 'made-by', Value: 'replication' }]);
      const policy = await west.send(new GetLifecyclePolicyCommand({ repositoryName: 'tmpl/app' }));
      assert.equal(policy.lifecyclePolicyText, lifecyclePolicy);
    } finally {
      west.destroy();
    }
  });

  it('lists the artifacts whose subject is an image (ListImageReferrers)', async () => {
    await reg.createRepository('refs');
    const subject = await pushImage(reg, 'refs', 'v1', 'subject');
    const empty = Buffer.from('{}');
    const emptyDigest = await pushBlob(reg, 'refs', empty);
    const push = async (artifactType: string, seed: string) => {
      const layer = await pushBlob(reg, 'refs', seed);
      const manifest = imageManifest(
        { digest: emptyDigest, size: empty.length, mediaType: 'application/vnd.oci.empty.v1+json' },
        [{ digest: layer, size: Buffer.byteLength(seed) }],
        {
          artifactType,
          subject: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: subject.digest,
            size: subject.manifest.length,
          },
          annotations: { 'org.example.kind': seed },
        },
      );
      const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(manifest).digest('hex')}`;
      const res = await reg.call('PUT', `/v2/refs/manifests/${digest}`, {
        body: manifest,
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
      assert.equal(res.status, 201);
      return digest;
    };
    const sig = await push('application/vnd.example.signature', 'signature');
    const sbom = await push('application/spdx+json', 'sbom');
    const all = await ecr.send(
      new ListImageReferrersCommand({ repositoryName: 'refs', subjectId: { imageDigest: subject.digest } }),
    );
    assert.deepEqual(
      all.referrers?.map((r) => [r.digest, r.artifactType, r.artifactStatus, r.mediaType]).sort(),
      [
        [sig, 'application/vnd.example.signature', 'ACTIVE', 'application/vnd.oci.image.manifest.v1+json'],
        [sbom, 'application/spdx+json', 'ACTIVE', 'application/vnd.oci.image.manifest.v1+json'],
      ].sort(),
    );
    assert.deepEqual(all.referrers?.find((r) => r.digest === sig)?.annotations, {
      'org.example.kind': 'signature',
    });
    const filtered = await ecr.send(
      new ListImageReferrersCommand({
        repositoryName: 'refs',
        subjectId: { imageDigest: subject.digest },
        filter: { artifactTypes: ['application/spdx+json'] },
      }),
    );
    assert.deepEqual(
      filtered.referrers?.map((r) => r.digest),
      [sbom],
    );
    const paged = await ecr.send(
      new ListImageReferrersCommand({
        repositoryName: 'refs',
        subjectId: { imageDigest: subject.digest },
        maxResults: 1,
      }),
    );
    assert.equal(paged.referrers?.length, 1);
    assert.ok(paged.nextToken);
    // The registry's referrers API answers the same set.
    const index = (await reg.call('GET', `/v2/refs/referrers/${subject.digest}`)).json();
    assert.deepEqual(
      index.manifests.map((m: { digest: string }) => m.digest).sort(),
      all.referrers?.map((r) => r.digest).sort(),
    );
    const missing = await awsError(() =>
      ecr.send(
        new ListImageReferrersCommand({
          repositoryName: 'ghost',
          subjectId: { imageDigest: subject.digest },
        }),
      ),
    );
    assert.equal(missing.name, 'RepositoryNotFoundException');
    const badDigest = await awsError(() =>
      ecr.send(new ListImageReferrersCommand({ repositoryName: 'refs', subjectId: { imageDigest: 'nope' } })),
    );
    assert.equal(badDigest.name, 'InvalidParameterException');
  });

  it('serves the registry calls to `aws ecr`', async () => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', reg.tp.plane.endpoint, '--output', 'json', 'ecr', 'describe-registry'],
      { env: awsCliEnv() },
    );
    const registry = JSON.parse(stdout);
    assert.equal(registry.registryId, '000000000000');
    assert.equal(registry.replicationConfiguration.rules[0].destinations[0].region, 'us-west-2');
    const setting = await run(
      'aws',
      [
        '--endpoint-url',
        reg.tp.plane.endpoint,
        '--output',
        'json',
        'ecr',
        'get-account-setting',
        '--name',
        'BASIC_SCAN_TYPE_VERSION',
      ],
      { env: awsCliEnv() },
    );
    assert.deepEqual(JSON.parse(setting.stdout), { name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
  });
});

describe('ECR replication across a restart', () => {
  it('finishes replications a stop left pending, duplicating nothing', async () => {
    let reg = await startRegistry();
    const dataDir = reg.tp.dataDir;
    try {
      await reg.ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: {
            rules: [{ destinations: [{ region: 'us-west-2', registryId: '000000000000' }] }],
          },
        }),
      );
      await reg.createRepository('crash/a');
      await reg.createRepository('crash/b');
      const a = await pushImage(reg, 'crash/a', 'v1', 'a');
      const b = await pushImage(reg, 'crash/b', 'v1', 'b');
      await replicated(reg.ecr, 'crash/a', a.digest);
      await replicated(reg.ecr, 'crash/b', b.digest);
      await reg.stop({ keepData: true });

      // Put the data directory where a crash could have left it: `crash/a` written in us-west-2 but
      // its record still IN_PROGRESS (the crash came between the two transactions), `crash/b` not
      // written there at all.
      const store = SqliteStore.open(join(dataDir, 'longshore.db'));
      const east = regionView(store, 'us-east-1', 'us-east-1');
      const west = regionView(store, 'us-west-2', 'us-east-1');
      await east.transact(async (tx) => {
        for (const s of await tx.list<{ destinations: { status: string }[] }>(Kind.EcrReplication)) {
          await tx.put(Kind.EcrReplication, s.key, {
            ...s.value,
            destinations: s.value.destinations.map((d) => ({ ...d, status: 'IN_PROGRESS' })),
          });
        }
      });
      await west.transact(async (tx) => {
        for (const kind of [Kind.EcrImage, Kind.EcrTag]) {
          for (const s of await tx.list(kind, { prefix: 'crash/b' })) await tx.remove(kind, s.key);
        }
        await tx.remove(Kind.EcrRepository, 'crash/b');
      });
      await store.close();

      reg = await startRegistry({ dataDir });
      for (const [name, image] of [
        ['crash/a', a],
        ['crash/b', b],
      ] as const) {
        const status = await replicated(reg.ecr, name, image.digest);
        assert.deepEqual(
          status.replicationStatuses?.map((s) => s.status),
          ['COMPLETE'],
        );
      }
      const westClient = regionClient(reg.tp.plane.endpoint, 'us-west-2');
      try {
        for (const [name, image] of [
          ['crash/a', a],
          ['crash/b', b],
        ] as const) {
          const listed = await westClient.send(new ListImagesCommand({ repositoryName: name }));
          assert.deepEqual(listed.imageIds, [{ imageDigest: image.digest, imageTag: 'v1' }]);
        }
        const repos = await westClient.send(new DescribeRepositoriesCommand({}));
        assert.deepEqual(repos.repositories?.map((r) => r.repositoryName).sort(), ['crash/a', 'crash/b']);
      } finally {
        westClient.destroy();
      }
    } finally {
      await reg.stop();
    }
  });
});
