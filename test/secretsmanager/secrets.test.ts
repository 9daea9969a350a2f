/**
 * Secrets Manager through the SDK (and the aws CLI for GetSecretValue): create with a string or a
 * binary value, token idempotency, version staging (PutSecretValue, UpdateSecretVersionStage),
 * lookups by name / full ARN / partial ARN, describe, list with filters and pages, deletion with a
 * recovery window (an injected clock moves past it), restore, force delete, resource policies,
 * tags, GetRandomPassword, the validation rules, the ECS-side resolver, and that the store holds no
 * plaintext of a value.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { deleteSecret } from '../../src/secretsmanager/delete-secret.ts';
import { getSecretValue } from '../../src/secretsmanager/secret-value.ts';
import { createSecret } from '../../src/secretsmanager/create-secret.ts';
import type { SecretsManagerContext } from '../../src/secretsmanager/model/records.ts';
import { resolveSecretValue } from '../../src/secretsmanager/model/index.ts';
import { lazyKeyFileCipher } from '../../src/crypto/value-cipher.ts';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { TEST_CREDENTIALS, type TestPlane, awsError, startTestPlane } from '../support/control-plane.ts';

const TOKEN_A = 'aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa';
const TOKEN_B = 'bbbbbbbb-bbbb-4bbb-bbbb-bbbbbbbbbbbb';
const PLAIN = 'hunter2-very-secret-plaintext';

describe('Secrets Manager', () => {
  let t: TestPlane;
  let sm: SecretsManagerClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    sm = new SecretsManagerClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    sm.destroy();
    await t.stop();
  });

  /** A context on the home region's store with a clock the test moves. */
  function modelContext(now: () => number): SecretsManagerContext {
    const ctx = t.plane.regions.context('us-east-1');
    return {
      store: ctx.store,
      clock: { now },
      rng: ctx.rng,
      partition: ctx.partition,
      cipher: lazyKeyFileCipher(join(t.dataDir, 'keys', 'secrets.key')),
    };
  }

  it('creates a secret, reads it by name, ARN and partial ARN, and is idempotent on its token', async () => {
    const created = await sm.send(
      new CreateSecretCommand({
        Name: 'app/db',
        SecretString: JSON.stringify({ user: 'admin', password: PLAIN }),
        ClientRequestToken: TOKEN_A,
        Description: 'the database',
        KmsKeyId: 'alias/my-key',
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    assert.match(
      created.ARN ?? '',
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/,
    );
    assert.equal(created.VersionId, TOKEN_A);
    const again = await sm.send(
      new CreateSecretCommand({
        Name: 'app/db',
        SecretString: JSON.stringify({ user: 'admin', password: PLAIN }),
        ClientRequestToken: TOKEN_A,
      }),
    );
    assert.equal(again.ARN, created.ARN);
    const clash = await awsError(() =>
      sm.send(
        new CreateSecretCommand({ Name: 'app/db', SecretString: 'other', ClientRequestToken: TOKEN_A }),
      ),
    );
    assert.equal(clash.name, 'ResourceExistsException');
    assert.ok(!clash.message.includes('other'));
    const exists = await awsError(() =>
      sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' })),
    );
    assert.equal(exists.name, 'ResourceExistsException');
    assert.equal(exists.message, 'The operation failed because the secret app/db already exists.');

    for (const id of ['app/db', created.ARN as string, (created.ARN as string).slice(0, -7)]) {
      const v = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(JSON.parse(v.SecretString ?? '{}').password, PLAIN);
      assert.deepEqual(v.VersionStages, ['AWSCURRENT']);
      assert.equal(v.VersionId, TOKEN_A);
      assert.ok(v.CreatedDate instanceof Date);
    }
    const missing = await awsError(() => sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, "Secrets Manager can't find the specified secret.");

    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    assert.equal(d.Description, 'the database');
    assert.equal(d.KmsKeyId, 'alias/my-key');
    assert.deepEqual(d.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.deepEqual(d.VersionIdsToStages, { [TOKEN_A]: ['AWSCURRENT'] });
    assert.ok(d.LastAccessedDate instanceof Date);
    assert.equal(d.DeletedDate, undefined);
  });

  it('stores binary values and answers them as bytes; the aws CLI reads a string secret', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: bytes }));
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'bin' }));
    assert.deepEqual([...(v.SecretBinary ?? [])], [...bytes]);
    assert.equal(v.SecretString, undefined);
    const { stdout } = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        t.plane.endpoint,
        'secretsmanager',
        'get-secret-value',
        '--secret-id',
        'app/db',
        '--query',
        'SecretString',
        '--output',
        'text',
      ],
      { env: awsCliEnv(), encoding: 'utf8' },
    );
    assert.equal(JSON.parse(stdout.trim()).user, 'admin');
  });

  it('moves AWSCURRENT on PutSecretValue and stages versions with UpdateSecretVersionStage', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 'staged', SecretString: 'v1', ClientRequestToken: TOKEN_A }),
    );
    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'v2', ClientRequestToken: TOKEN_B }),
    );
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
    const same = await sm.send(
      new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'v2', ClientRequestToken: TOKEN_B }),
    );
    assert.equal(same.VersionId, TOKEN_B);
    const changed = await awsError(() =>
      sm.send(
        new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'v3', ClientRequestToken: TOKEN_B }),
      ),
    );
    assert.equal(changed.name, 'ResourceExistsException');
    let d = await sm.send(new DescribeSecretCommand({ SecretId: 'staged' }));
    assert.deepEqual(d.VersionIdsToStages, { [TOKEN_A]: ['AWSPREVIOUS'], [TOKEN_B]: ['AWSCURRENT'] });
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPREVIOUS' })))
        .SecretString,
      'v1',
    );
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'staged', VersionId: TOKEN_A }))).SecretString,
      'v1',
    );
    const noStage = await awsError(() =>
      sm.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPENDING' })),
    );
    assert.equal(noStage.name, 'ResourceNotFoundException');
    assert.equal(
      noStage.message,
      "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    );

    // A pending version (custom stages only), then moved to AWSCURRENT.
    const pending = await sm.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v3',
        VersionStages: ['AWSPENDING', 'blue'],
      }),
    );
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'staged' }))).SecretString, 'v2');
    const mustName = await awsError(() =>
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: pending.VersionId,
        }),
      ),
    );
    assert.equal(mustName.name, 'InvalidParameterException');
    assert.match(mustName.message, /RemoveFromVersionId/);
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'staged',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: pending.VersionId,
        RemoveFromVersionId: TOKEN_B,
      }),
    );
    d = await sm.send(new DescribeSecretCommand({ SecretId: 'staged' }));
    assert.deepEqual(d.VersionIdsToStages?.[pending.VersionId as string]?.sort(), [
      'AWSCURRENT',
      'AWSPENDING',
      'blue',
    ]);
    assert.deepEqual(d.VersionIdsToStages?.[TOKEN_B], ['AWSPREVIOUS']);
    assert.equal(d.VersionIdsToStages?.[TOKEN_A], undefined);
    const removeCurrent = await awsError(() =>
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'AWSCURRENT',
          RemoveFromVersionId: pending.VersionId,
        }),
      ),
    );
    assert.equal(removeCurrent.name, 'InvalidParameterException');
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'staged',
        VersionStage: 'blue',
        RemoveFromVersionId: pending.VersionId,
      }),
    );
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'staged' }));
    assert.equal(versions.Versions?.length, 2);
    const all = await sm.send(
      new ListSecretVersionIdsCommand({ SecretId: 'staged', IncludeDeprecated: true }),
    );
    assert.equal(all.Versions?.length, 3);

    const updated = await sm.send(
      new UpdateSecretCommand({ SecretId: 'staged', Description: 'now described', SecretString: 'v4' }),
    );
    assert.ok(updated.VersionId);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'staged' }))).SecretString, 'v4');
    assert.equal(
      (await sm.send(new DescribeSecretCommand({ SecretId: 'staged' }))).Description,
      'now described',
    );
  });

  it('lists with filters and pages, and batch-gets values', async () => {
    for (const n of ['list/a', 'list/b', 'list/c']) {
      await sm.send(
        new CreateSecretCommand({
          Name: n,
          SecretString: `value of ${n}`,
          Description: `Payments ${n}`,
          Tags: [{ Key: 'env', Value: n === 'list/c' ? 'prod' : 'dev' }],
        }),
      );
    }
    const byName = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }] }));
    assert.deepEqual(byName.SecretList?.map((s) => s.Name).sort(), ['list/a', 'list/b', 'list/c']);
    assert.ok(byName.SecretList?.every((s) => !('SecretString' in s)));
    const prod = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['prod'] }] }));
    assert.deepEqual(
      prod.SecretList?.map((s) => s.Name),
      ['list/c'],
    );
    const notProd = await sm.send(
      new ListSecretsCommand({
        Filters: [
          { Key: 'name', Values: ['list/'] },
          { Key: 'tag-value', Values: ['!prod'] },
        ],
      }),
    );
    assert.deepEqual(notProd.SecretList?.map((s) => s.Name).sort(), ['list/a', 'list/b']);
    const desc = await sm.send(
      new ListSecretsCommand({ Filters: [{ Key: 'description', Values: ['payments'] }] }),
    );
    assert.equal(desc.SecretList?.length, 3);
    const words = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'all', Values: ['PAYMENTS'] }] }));
    assert.equal(words.SecretList?.length, 3);
    const tagKey = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['te'] }] }));
    assert.deepEqual(
      tagKey.SecretList?.map((s) => s.Name),
      ['app/db'],
    );

    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(
        new ListSecretsCommand({
          MaxResults: 2,
          NextToken: token,
          SortOrder: 'asc',
          Filters: [{ Key: 'name', Values: ['list/'] }],
        }),
      );
      assert.ok((page.SecretList?.length ?? 0) <= 2);
      names.push(...(page.SecretList ?? []).map((s) => s.Name as string));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(names, ['list/a', 'list/b', 'list/c']);
    const badToken = await awsError(() => sm.send(new ListSecretsCommand({ NextToken: '!!' })));
    assert.equal(badToken.name, 'InvalidNextTokenException');

    const batch = await sm.send(
      new BatchGetSecretValueCommand({ SecretIdList: ['list/a', 'list/b', 'ghost'] }),
    );
    assert.deepEqual(
      batch.SecretValues?.map((v) => v.SecretString),
      ['value of list/a', 'value of list/b'],
    );
    assert.equal(batch.Errors?.[0]?.SecretId, 'ghost');
    assert.equal(batch.Errors?.[0]?.ErrorCode, 'ResourceNotFoundException');
    const byFilter = await sm.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'tag-value', Values: ['dev'] }], MaxResults: 1 }),
    );
    assert.equal(byFilter.SecretValues?.length, 1);
    assert.ok(byFilter.NextToken);
    const both = await awsError(() =>
      sm.send(
        new BatchGetSecretValueCommand({ SecretIdList: ['a'], Filters: [{ Key: 'name', Values: ['a'] }] }),
      ),
    );
    assert.equal(both.name, 'InvalidParameterException');
  });

  it('schedules a deletion, refuses reads until restored, and forgets the secret past the window', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'bye' }));
    const window = await awsError(() =>
      sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 6 })),
    );
    assert.equal(window.name, 'InvalidParameterException');
    assert.equal(window.message, 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    const both = await awsError(() =>
      sm.send(
        new DeleteSecretCommand({
          SecretId: 'doomed',
          RecoveryWindowInDays: 7,
          ForceDeleteWithoutRecovery: true,
        }),
      ),
    );
    assert.equal(both.name, 'InvalidParameterException');
    const before = Date.now();
    const del = await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    const days = ((del.DeletionDate?.getTime() ?? 0) - before) / 86_400_000;
    assert.ok(days > 6.99 && days < 7.01, `deletion in ${days} days`);
    const twice = await awsError(() => sm.send(new DeleteSecretCommand({ SecretId: 'doomed' })));
    assert.equal(twice.name, 'InvalidRequestException');
    const read = await awsError(() => sm.send(new GetSecretValueCommand({ SecretId: 'doomed' })));
    assert.equal(read.name, 'InvalidRequestException');
    assert.equal(
      read.message,
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
    const put = await awsError(() =>
      sm.send(new PutSecretValueCommand({ SecretId: 'doomed', SecretString: 'x' })),
    );
    assert.equal(put.name, 'InvalidRequestException');
    const reuse = await awsError(() =>
      sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' })),
    );
    assert.equal(reuse.name, 'InvalidRequestException');
    assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate instanceof Date);
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['doomed'] }] }));
    assert.equal(listed.SecretList?.length, 0);
    const planned = await sm.send(
      new ListSecretsCommand({
        IncludePlannedDeletion: true,
        Filters: [{ Key: 'name', Values: ['doomed'] }],
      }),
    );
    assert.equal(planned.SecretList?.length, 1);
    await sm.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'doomed' }))).SecretString, 'bye');
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate, undefined);

    // Past the window (an injected clock), the secret is gone and its name free again.
    let now = Date.now();
    const ctx = modelContext(() => now);
    await deleteSecret(ctx, { SecretId: 'doomed', RecoveryWindowInDays: 7 });
    now += 7 * 86_400_000 + 1;
    const gone = await awsError(() => getSecretValue(ctx, { SecretId: 'doomed' }));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const again = await createSecret(ctx, { Name: 'doomed', SecretString: 'reborn' });
    assert.equal((await getSecretValue(ctx, { SecretId: again.ARN })).SecretString, 'reborn');

    await sm.send(new DeleteSecretCommand({ SecretId: 'bin', ForceDeleteWithoutRecovery: true }));
    assert.equal(
      (await awsError(() => sm.send(new DescribeSecretCommand({ SecretId: 'bin' })))).name,
      'ResourceNotFoundException',
    );
  });

  it('stores resource policies (validated, not enforced) and tags', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      ],
    });
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'app/db', ResourcePolicy: policy }));
    assert.equal(
      (await sm.send(new GetResourcePolicyCommand({ SecretId: 'app/db' }))).ResourcePolicy,
      policy,
    );
    const bad = await awsError(() =>
      sm.send(new PutResourcePolicyCommand({ SecretId: 'app/db', ResourcePolicy: '{"Statement": 3' })),
    );
    assert.equal(bad.name, 'MalformedPolicyDocumentException');
    const noEffect = await awsError(() =>
      sm.send(
        new PutResourcePolicyCommand({
          SecretId: 'app/db',
          ResourcePolicy: '{"Statement":[{"Action":"*"}]}',
        }),
      ),
    );
    assert.equal(noEffect.name, 'MalformedPolicyDocumentException');
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: 'app/db' }));
    assert.equal(
      (await sm.send(new GetResourcePolicyCommand({ SecretId: 'app/db' }))).ResourcePolicy,
      undefined,
    );

    await sm.send(new TagResourceCommand({ SecretId: 'app/db', Tags: [{ Key: 'owner', Value: 'me' }] }));
    await sm.send(new UntagResourceCommand({ SecretId: 'app/db', TagKeys: ['team'] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }))).Tags, [
      { Key: 'owner', Value: 'me' },
    ]);
    const reserved = await awsError(() =>
      sm.send(new TagResourceCommand({ SecretId: 'app/db', Tags: [{ Key: 'aws:x', Value: 'y' }] })),
    );
    assert.equal(reserved.name, 'InvalidParameterException');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    assert.equal(
      (await awsError(() => sm.send(new TagResourceCommand({ SecretId: 'app/db', Tags: many })))).name,
      'LimitExceededException',
    );
  });

  it('validates names, values and tokens', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Name: 'bad name!', SecretString: 'x' }, 'InvalidParameterException'],
      [{ Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) }, 'InvalidParameterException'],
      [{ Name: 'short-token', SecretString: 'x', ClientRequestToken: 'abc' }, 'InvalidParameterException'],
    ];
    for (const [input, code] of cases) {
      const e = await awsError(() => sm.send(new CreateSecretCommand(input as never)));
      assert.equal(e.name, code, JSON.stringify(input));
    }
    const noValue = await awsError(() => sm.send(new PutSecretValueCommand({ SecretId: 'app/db' })));
    assert.equal(noValue.name, 'InvalidParameterException');
    const rotate = await awsError(() => sm.send(new RotateSecretCommand({ SecretId: 'app/db' })));
    assert.equal(rotate.name, 'UnsupportedFeatureException');
  });

  it('generates random passwords with every option', async () => {
    const def = await sm.send(new GetRandomPasswordCommand({}));
    assert.equal(def.RandomPassword?.length, 32);
    const p = await sm.send(
      new GetRandomPasswordCommand({
        PasswordLength: 200,
        ExcludePunctuation: true,
        ExcludeCharacters: 'abc',
      }),
    );
    assert.match(p.RandomPassword ?? '', /^[d-zA-Z0-9]{200}$/);
    assert.match(p.RandomPassword ?? '', /[0-9]/);
    assert.match(p.RandomPassword ?? '', /[A-Z]/);
    const digits = await sm.send(
      new GetRandomPasswordCommand({
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludePunctuation: true,
        PasswordLength: 12,
      }),
    );
    assert.match(digits.RandomPassword ?? '', /^[0-9]{12}$/);
    const space = await sm.send(
      new GetRandomPasswordCommand({
        IncludeSpace: true,
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludeNumbers: true,
        ExcludePunctuation: true,
        PasswordLength: 3,
      }),
    );
    assert.equal(space.RandomPassword, '   ');
    const none = await awsError(() =>
      sm.send(
        new GetRandomPasswordCommand({
          ExcludeLowercase: true,
          ExcludeUppercase: true,
          ExcludeNumbers: true,
          ExcludePunctuation: true,
        }),
      ),
    );
    assert.equal(none.name, 'InvalidParameterException');
    const long = await awsError(() => sm.send(new GetRandomPasswordCommand({ PasswordLength: 4097 })));
    assert.equal(long.name, 'InvalidParameterException');
  });

  it('resolves ECS valueFrom references (json key, stage, version) with ECS texts for missing ones', async () => {
    const ctx = modelContext(() => Date.now());
    const arn = (await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }))).ARN as string;
    assert.equal(await resolveSecretValue(ctx, `${arn}:password::`), PLAIN);
    assert.equal(await resolveSecretValue(ctx, `${arn}:user:AWSCURRENT:`), 'admin');
    assert.equal(
      await resolveSecretValue(ctx, `${arn}::AWSCURRENT:${TOKEN_A}`),
      JSON.stringify({ user: 'admin', password: PLAIN }),
    );
    assert.equal(await resolveSecretValue(ctx, 'app/db'), JSON.stringify({ user: 'admin', password: PLAIN }));
    await assert.rejects(resolveSecretValue(ctx, `${arn}:nokey::`), (e: Error) => {
      assert.match(
        e.message,
        /^ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time\(s\): retrieved secret from Secrets Manager did not contain json key nokey$/,
      );
      assert.ok(!e.message.includes(PLAIN));
      return true;
    });
    await assert.rejects(
      resolveSecretValue(ctx, 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ghost-AbCdEf'),
      /ResourceInitializationError: unable to pull secrets or registry auth: .*ResourceNotFoundException/,
    );
  });

  it('keeps values sealed in the store, with the key file apart (mode 0600)', async () => {
    const store = t.plane.regions.context('us-east-1').store;
    const records = await store.list(Kind.SecretsManagerSecret);
    assert.ok(records.length > 0);
    const text = JSON.stringify(records);
    assert.ok(!text.includes(PLAIN), 'plaintext found in the stored records');
    assert.ok(!text.includes('hunter2'));
    assert.ok(!text.includes('value of list/a'));
    assert.ok(!text.includes(Buffer.from(PLAIN).toString('base64')));
    const key = statSync(join(t.dataDir, 'keys', 'secrets.key'));
    assert.equal(key.mode & 0o777, 0o600);
  });
});
