/**
 * SSM Parameter Store through the SDK (and the aws CLI for GetParametersByPath): put (types, tiers,
 * Overwrite, AllowedPattern, DataType, tags on create only), get with selectors and decryption,
 * get several, by path (recursive, filters, pages), history, labels, delete, describe with
 * filters, tags, every name and value rule, the ECS-side resolver, and that SecureString values
 * are sealed in the store.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { lazyKeyFileCipher } from '../../src/crypto/value-cipher.ts';
import { resolveParameterValue, resolveParameterValues } from '../../src/ssm/model/index.ts';
import { putParameter } from '../../src/ssm/put-parameter.ts';
import { labelParameterVersion } from '../../src/ssm/parameter-labels.ts';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { TEST_CREDENTIALS, type TestPlane, awsError, startTestPlane } from '../support/control-plane.ts';

const SECRET = 'correct-horse-battery-staple';

describe('SSM Parameter Store', () => {
  let t: TestPlane;
  let ssm: SSMClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    ssm = new SSMClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    ssm.destroy();
    await t.stop();
  });

  it('puts and gets String, StringList and SecureString parameters', async () => {
    const put = await ssm.send(
      new PutParameterCommand({
        Name: '/app/prod/db/url',
        Value: 'postgres://db',
        Type: 'String',
        Description: 'url',
      }),
    );
    assert.deepEqual({ v: put.Version, tier: put.Tier }, { v: 1, tier: 'Standard' });
    await ssm.send(new PutParameterCommand({ Name: '/app/prod/hosts', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(
      new PutParameterCommand({
        Name: '/app/prod/db/password',
        Value: SECRET,
        Type: 'SecureString',
        KeyId: 'alias/mine',
      }),
    );
    const p = (await ssm.send(new GetParameterCommand({ Name: '/app/prod/db/url' }))).Parameter;
    assert.equal(p?.Value, 'postgres://db');
    assert.equal(p?.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/app/prod/db/url');
    assert.equal(p?.DataType, 'text');
    assert.equal(p?.Version, 1);
    const sealed = (await ssm.send(new GetParameterCommand({ Name: '/app/prod/db/password' }))).Parameter;
    assert.equal(sealed?.Type, 'SecureString');
    assert.notEqual(sealed?.Value, SECRET);
    const open = (
      await ssm.send(new GetParameterCommand({ Name: '/app/prod/db/password', WithDecryption: true }))
    ).Parameter;
    assert.equal(open?.Value, SECRET);
    const byArn = await ssm.send(
      new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/prod/hosts' }),
    );
    assert.equal(byArn.Parameter?.Value, 'a,b,c');
    const missing = await awsError(() => ssm.send(new GetParameterCommand({ Name: '/nope' })));
    assert.equal(missing.name, 'ParameterNotFound');
    const noSlash = await awsError(() => ssm.send(new GetParameterCommand({ Name: 'app/prod/hosts' })));
    assert.equal(noSlash.name, 'ValidationException');
    assert.match(noSlash.message, /^Parameter name: can't be prefixed with "ssm" \(case-insensitive\)/);

    const exists = await awsError(() =>
      ssm.send(new PutParameterCommand({ Name: '/app/prod/db/url', Value: 'x', Type: 'String' })),
    );
    assert.equal(exists.name, 'ParameterAlreadyExists');
    assert.equal(
      exists.message,
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
    const v2 = await ssm.send(
      new PutParameterCommand({ Name: '/app/prod/db/url', Value: 'postgres://db2', Overwrite: true }),
    );
    assert.equal(v2.Version, 2);
    const tagsOverwrite = await awsError(() =>
      ssm.send(
        new PutParameterCommand({
          Name: '/app/prod/db/url',
          Value: 'x',
          Overwrite: true,
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );
    assert.equal(tagsOverwrite.name, 'ValidationException');
    assert.match(tagsOverwrite.message, /tags and overwrite can't be used together/);

    const several = await ssm.send(
      new GetParametersCommand({
        Names: ['/app/prod/hosts', '/app/prod/db/password', '/ghost'],
        WithDecryption: true,
      }),
    );
    assert.deepEqual(
      several.Parameters?.map((x) => x.Value),
      ['a,b,c', SECRET],
    );
    assert.deepEqual(several.InvalidParameters, ['/ghost']);
  });

  it('selects versions and labels, and keeps the history', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'flag', Value: 'one', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: 'flag', Value: 'two', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: 'flag', Value: 'three', Overwrite: true }));
    const v1 = await ssm.send(new GetParameterCommand({ Name: 'flag:1' }));
    assert.equal(v1.Parameter?.Value, 'one');
    assert.equal(v1.Parameter?.Selector, ':1');
    assert.equal(v1.Parameter?.Name, 'flag');
    const noVersion = await awsError(() => ssm.send(new GetParameterCommand({ Name: 'flag:9' })));
    assert.equal(noVersion.name, 'ParameterVersionNotFound');
    assert.equal(
      noVersion.message,
      'Systems Manager could not find version 9 of flag. Verify the version and try again.',
    );

    const labeled = await ssm.send(
      new LabelParameterVersionCommand({
        Name: 'flag',
        ParameterVersion: 1,
        Labels: ['stable', '1bad', 'awsy', 'ok.label'],
      }),
    );
    assert.equal(labeled.ParameterVersion, 1);
    assert.deepEqual(labeled.InvalidLabels, ['1bad', 'awsy']);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: 'flag:stable' }))).Parameter?.Value, 'one');
    // Moving a label takes it from the version that had it.
    await ssm.send(
      new LabelParameterVersionCommand({ Name: 'flag', ParameterVersion: 2, Labels: ['stable'] }),
    );
    assert.equal((await ssm.send(new GetParameterCommand({ Name: 'flag:stable' }))).Parameter?.Value, 'two');
    const latest = await ssm.send(new LabelParameterVersionCommand({ Name: 'flag', Labels: ['latest'] }));
    assert.equal(latest.ParameterVersion, 3);
    const tooMany = await awsError(() =>
      ssm.send(
        new LabelParameterVersionCommand({
          Name: 'flag',
          ParameterVersion: 3,
          Labels: Array.from({ length: 10 }, (_, i) => `l${i}`),
        }),
      ),
    );
    assert.equal(tooMany.name, 'ParameterVersionLabelLimitExceeded');
    const unlabel = await ssm.send(
      new UnlabelParameterVersionCommand({ Name: 'flag', ParameterVersion: 2, Labels: ['stable', 'ghost'] }),
    );
    assert.deepEqual(unlabel.RemovedLabels, ['stable']);
    assert.deepEqual(unlabel.InvalidLabels, ['ghost']);
    const noLabel = await awsError(() => ssm.send(new GetParameterCommand({ Name: 'flag:stable' })));
    assert.equal(noLabel.name, 'ParameterNotFound');

    const history = await ssm.send(new GetParameterHistoryCommand({ Name: 'flag' }));
    assert.deepEqual(
      history.Parameters?.map((h) => [h.Version, h.Value, h.Labels]),
      [
        [1, 'one', ['ok.label']],
        [2, 'two', []],
        [3, 'three', ['latest']],
      ],
    );
    const paged = await ssm.send(new GetParameterHistoryCommand({ Name: 'flag', MaxResults: 2 }));
    assert.equal(paged.Parameters?.length, 2);
    const rest = await ssm.send(
      new GetParameterHistoryCommand({ Name: 'flag', MaxResults: 2, NextToken: paged.NextToken }),
    );
    assert.deepEqual(
      rest.Parameters?.map((h) => h.Version),
      [3],
    );
    const secretHistory = await ssm.send(new GetParameterHistoryCommand({ Name: '/app/prod/db/password' }));
    assert.notEqual(secretHistory.Parameters?.[0]?.Value, SECRET);
    assert.equal(secretHistory.Parameters?.[0]?.KeyId, 'alias/mine');
  });

  it('gets by path, one level or recursive, with filters and pages; the aws CLI pages through', async () => {
    const one = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod' }));
    assert.deepEqual(
      one.Parameters?.map((p) => p.Name),
      ['/app/prod/hosts'],
    );
    const all = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/', Recursive: true }));
    assert.deepEqual(
      all.Parameters?.map((p) => p.Name),
      ['/app/prod/db/password', '/app/prod/db/url', '/app/prod/hosts'],
    );
    const secure = await ssm.send(
      new GetParametersByPathCommand({
        Path: '/app',
        Recursive: true,
        WithDecryption: true,
        ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }],
      }),
    );
    assert.deepEqual(
      secure.Parameters?.map((p) => p.Value),
      [SECRET],
    );
    const badKey = await awsError(() =>
      ssm.send(
        new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }),
      ),
    );
    assert.equal(badKey.name, 'InvalidFilterKey');
    const badPath = await awsError(() => ssm.send(new GetParametersByPathCommand({ Path: 'app' })));
    assert.equal(badPath.name, 'ValidationException');
    for (let i = 0; i < 12; i++) {
      await ssm.send(
        new PutParameterCommand({
          Name: `/many/p${String(i).padStart(2, '0')}`,
          Value: `v${i}`,
          Type: 'String',
        }),
      );
    }
    const first = await ssm.send(new GetParametersByPathCommand({ Path: '/many' }));
    assert.equal(first.Parameters?.length, 10);
    assert.ok(first.NextToken);
    const second = await ssm.send(
      new GetParametersByPathCommand({ Path: '/many', NextToken: first.NextToken }),
    );
    assert.equal(second.Parameters?.length, 2);
    const { stdout } = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        t.plane.endpoint,
        'ssm',
        'get-parameters-by-path',
        '--path',
        '/many',
        '--query',
        'Parameters[].Name',
        '--output',
        'json',
      ],
      { env: awsCliEnv(), encoding: 'utf8' },
    );
    assert.equal((JSON.parse(stdout) as string[]).length, 12);
  });

  it('describes with filters, tags parameters, and deletes', async () => {
    const begins = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/prod/db'] }],
      }),
    );
    assert.deepEqual(
      begins.Parameters?.map((p) => p.Name),
      ['/app/prod/db/password', '/app/prod/db/url'],
    );
    assert.ok(begins.Parameters?.every((p) => !('Value' in p)));
    const path = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }],
      }),
    );
    assert.equal(path.Parameters?.length, 3);
    const label = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['latest'] }] }),
    );
    assert.deepEqual(
      label.Parameters?.map((p) => p.Name),
      ['flag'],
    );
    const type = await ssm.send(
      new DescribeParametersCommand({ Filters: [{ Key: 'Type', Values: ['StringList'] }] }),
    );
    assert.deepEqual(
      type.Parameters?.map((p) => p.Name),
      ['/app/prod/hosts'],
    );
    const badOption = await awsError(() =>
      ssm.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/app'] }],
        }),
      ),
    );
    assert.equal(badOption.name, 'InvalidFilterOption');
    const pages = await ssm.send(new DescribeParametersCommand({ MaxResults: 5 }));
    assert.equal(pages.Parameters?.length, 5);
    assert.ok(pages.NextToken);

    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: 'flag',
        Tags: [{ Key: 'env', Value: 'prod' }],
      }),
    );
    const tags = await ssm.send(
      new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'flag' }),
    );
    assert.deepEqual(tags.TagList, [{ Key: 'env', Value: 'prod' }]);
    const tagged = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:env', Values: ['prod'] }] }),
    );
    assert.deepEqual(
      tagged.Parameters?.map((p) => p.Name),
      ['flag'],
    );
    await ssm.send(
      new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: 'flag', TagKeys: ['env'] }),
    );
    assert.deepEqual(
      (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'flag' })))
        .TagList,
      [],
    );
    const noResource = await awsError(() =>
      ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/ghost' })),
    );
    assert.equal(noResource.name, 'InvalidResourceId');
    const wrongType = await awsError(() =>
      ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'x' })),
    );
    assert.equal(wrongType.name, 'InvalidResourceType');
    await ssm.send(
      new PutParameterCommand({
        Name: 'created-tagged',
        Value: 'x',
        Type: 'String',
        Tags: [{ Key: 'a', Value: 'b' }],
      }),
    );
    assert.deepEqual(
      (
        await ssm.send(
          new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'created-tagged' }),
        )
      ).TagList,
      [{ Key: 'a', Value: 'b' }],
    );

    await ssm.send(new DeleteParameterCommand({ Name: 'created-tagged' }));
    assert.equal(
      (await awsError(() => ssm.send(new DeleteParameterCommand({ Name: 'created-tagged' })))).name,
      'ParameterNotFound',
    );
    const deleted = await ssm.send(
      new DeleteParametersCommand({ Names: ['/many/p00', '/many/p01', '/ghost'] }),
    );
    assert.deepEqual(deleted.DeletedParameters, ['/many/p00', '/many/p01']);
    assert.deepEqual(deleted.InvalidParameters, ['/ghost']);
  });

  it('enforces names, hierarchy depth, tiers, patterns and data types', async () => {
    const put = (input: Record<string, unknown>) =>
      ssm.send(new PutParameterCommand({ Type: 'String', Value: 'v', ...input } as never));
    const cases: [Record<string, unknown>, string][] = [
      [{ Name: 'awsthing' }, 'ValidationException'],
      [{ Name: '/SSM/thing' }, 'ValidationException'],
      [{ Name: 'has space' }, 'ValidationException'],
      [{ Name: 'a/b' }, 'ValidationException'],
      [{ Name: '/a//b' }, 'ValidationException'],
      [
        { Name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}` },
        'HierarchyLevelLimitExceededException',
      ],
      [{ Name: '/big', Value: 'x'.repeat(4097) }, 'ValidationException'],
      [{ Name: '/big', Value: 'x'.repeat(8193), Tier: 'Advanced' }, 'ValidationException'],
      [{ Name: '/pat', Value: 'abc', AllowedPattern: '^\\d+$' }, 'ParameterPatternMismatchException'],
      [{ Name: '/pat', Value: '1', AllowedPattern: '(' }, 'InvalidAllowedPatternException'],
      [{ Name: '/ami', Value: 'not-an-ami', DataType: 'aws:ec2:image' }, 'ValidationException'],
      [{ Name: '/ami', Value: 'ami-12345678', DataType: 'AWS:EC2:IMAGE' }, 'ValidationException'],
      [
        { Name: '/ami', Value: 'ami-12345678', DataType: 'aws:ec2:image', Type: 'SecureString' },
        'ValidationException',
      ],
      [{ Name: '/kms', Value: 'x', KeyId: 'alias/x' }, 'ValidationException'],
    ];
    for (const [input, code] of cases) {
      const e = await awsError(() => put(input));
      assert.equal(e.name, code, JSON.stringify(input).slice(0, 200));
    }
    const deep = await put({ Name: `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}` });
    assert.equal(deep.Version, 1);
    const big = await put({ Name: '/big', Value: 'x'.repeat(5000), Tier: 'Intelligent-Tiering' });
    assert.equal(big.Tier, 'Advanced');
    const small = await put({ Name: '/small', Value: 'x', Tier: 'Intelligent-Tiering' });
    assert.equal(small.Tier, 'Standard');
    const downgrade = await awsError(() =>
      put({ Name: '/big', Value: 'y', Tier: 'Standard', Overwrite: true }),
    );
    assert.equal(downgrade.name, 'ValidationException');
    assert.match(downgrade.message, /can't downgrade/);
    assert.equal((await put({ Name: '/big', Value: 'y', Overwrite: true })).Tier, 'Advanced');
    const ami = await put({ Name: '/ami', Value: 'ami-0123456789abcdef0', DataType: 'aws:ec2:image' });
    assert.equal(ami.Version, 1);
    assert.equal(
      (await ssm.send(new GetParameterCommand({ Name: '/ami' }))).Parameter?.DataType,
      'aws:ec2:image',
    );
    await put({ Name: '/pat', Value: '12', AllowedPattern: '^\\d+$' });
    const later = await awsError(() => put({ Name: '/pat', Value: 'abc', Overwrite: true }));
    assert.equal(later.name, 'ParameterPatternMismatchException');
    const tooManyNames = await awsError(() =>
      ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) })),
    );
    assert.equal(tooManyNames.name, 'ValidationException');
  });

  it('resolves ECS valueFrom names and ARNs with decryption, naming missing ones as ECS does', async () => {
    const region = t.plane.regions.context('us-east-1');
    const ctx = {
      store: region.store,
      clock: region.clock,
      partition: region.partition,
      cipher: lazyKeyFileCipher(join(t.dataDir, 'keys', 'secrets.key')),
    };
    assert.equal(await resolveParameterValue(ctx, '/app/prod/db/password'), SECRET);
    assert.equal(
      await resolveParameterValue(ctx, 'arn:aws:ssm:us-east-1:000000000000:parameter/app/prod/db/password'),
      SECRET,
    );
    assert.equal(
      await resolveParameterValue(ctx, 'arn:aws:ssm:us-east-1:000000000000:parameter/flag'),
      'three',
    );
    await assert.rejects(resolveParameterValues(ctx, ['/app/prod/hosts', '/ghost/a']), (e: Error) => {
      assert.match(
        e.message,
        /^ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time\(s\): invalid ssm parameters: \/ghost\/a$/,
      );
      return true;
    });
  });

  it('keeps 100 versions, dropping the oldest unless it has a label', async () => {
    const region = t.plane.regions.context('us-east-1');
    const ctx = {
      store: region.store,
      clock: region.clock,
      rng: region.rng,
      partition: region.partition,
      cipher: lazyKeyFileCipher(join(t.dataDir, 'keys', 'secrets.key')),
    };
    await putParameter(ctx, { Name: '/hist', Value: 'v1', Type: 'String' });
    await labelParameterVersion(ctx, { Name: '/hist', ParameterVersion: 1, Labels: ['first'] });
    for (let i = 2; i <= 100; i++)
      await putParameter(ctx, { Name: '/hist', Value: `v${i}`, Overwrite: true });
    const full = await awsError(() => putParameter(ctx, { Name: '/hist', Value: 'v101', Overwrite: true }));
    assert.equal(full.name, 'ParameterMaxVersionLimitExceeded');
    await ssm.send(
      new UnlabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 1, Labels: ['first'] }),
    );
    assert.equal((await putParameter(ctx, { Name: '/hist', Value: 'v101', Overwrite: true })).Version, 101);
    const noV1 = await awsError(() => ssm.send(new GetParameterCommand({ Name: '/hist:1' })));
    assert.equal(noV1.name, 'ParameterVersionNotFound');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/hist:2' }))).Parameter?.Value, 'v2');
  });

  it('keeps parameters of each region apart', async () => {
    const west = new SSMClient({
      endpoint: t.plane.endpoint,
      region: 'us-west-2',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await west.send(new PutParameterCommand({ Name: '/regional', Value: 'west', Type: 'String' }));
      assert.equal(
        (await awsError(() => ssm.send(new GetParameterCommand({ Name: '/regional' })))).name,
        'ParameterNotFound',
      );
      const p = (await west.send(new GetParameterCommand({ Name: '/regional' }))).Parameter;
      assert.equal(p?.ARN, 'arn:aws:ssm:us-west-2:000000000000:parameter/regional');
    } finally {
      west.destroy();
    }
  });

  it('keeps SecureString values sealed in the store', async () => {
    const records = await t.plane.regions.context('us-east-1').store.list(Kind.SsmParameter);
    const text = JSON.stringify(records);
    assert.ok(text.includes('postgres://db'), 'String values are stored as they are');
    assert.ok(!text.includes(SECRET), 'SecureString plaintext found in the stored records');
  });
});
