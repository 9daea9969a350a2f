/** STS through @aws-sdk/client-sts: AssumeRole trust checks, ExternalId, GetSessionToken, GetCallerIdentity per principal, restarts. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

describe('STS', () => {
  let t: TestPlane;
  let iam: IAMClient;
  let root: STSClient;
  let dev: Keys;
  const clients: { destroy(): void }[] = [];
  const sts = (credentials: Keys) => {
    const client = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };

  before(async () => {
    t = await startTestPlane({ controllers: false });
    iam = new IAMClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    root = sts(TEST_CREDENTIALS);
    await iam.send(new CreateUserCommand({ UserName: 'dev' }));
    const allow = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:GetSessionToken'],
          Resource: '*',
        },
      ],
    };
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'dev',
        PolicyName: 'assume',
        PolicyDocument: JSON.stringify(allow),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    dev = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/dev` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'secret-handshake' } },
        },
      ],
    };
    await iam.send(
      new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'app',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess',
      }),
    );
  });
  after(async () => {
    for (const c of clients) c.destroy();
    iam.destroy();
    await t.stop();
  });

  it('answers GetCallerIdentity for root and for a user', async () => {
    const r = await root.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([r.UserId, r.Account, r.Arn], [ACCOUNT, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`]);
    const u = await sts(dev).send(new GetCallerIdentityCommand({}));
    assert.equal(u.Arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
    assert.match(u.UserId ?? '', /^AIDA/);
  });

  it('assumes a role whose trust policy names the caller, with the right ExternalId', async () => {
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const noId = await awsError(() =>
      sts(dev).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 's1' })),
    );
    assert.deepEqual([noId.name, noId.status], ['AccessDenied', 403]);
    assert.equal(
      noId.message,
      `User: arn:aws:iam::${ACCOUNT}:user/dev is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`,
    );
    const wrongId = await awsError(() =>
      sts(dev).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 's1', ExternalId: 'guess' })),
    );
    assert.equal(wrongId.name, 'AccessDenied');

    const out = await sts(dev).send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: 'build-42',
        ExternalId: 'secret-handshake',
        DurationSeconds: 900,
      }),
    );
    const c = out.Credentials!;
    assert.match(c.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.ok((c.SessionToken ?? '').length > 100);
    const lifetime = c.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 890_000 && lifetime <= 900_000, String(lifetime));
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/build-42`);
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:build-42$/);

    const session = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.Arn, who.UserId], [out.AssumedRoleUser?.Arn, out.AssumedRoleUser?.AssumedRoleId]);
    // The role's policies (AmazonECS_FullAccess) speak for the session.
    const ecs = new ECSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: session,
      maxAttempts: 1,
    });
    clients.push(ecs);
    assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, []);

    const forged = await awsError(() =>
      sts({ ...session, sessionToken: `${session.sessionToken.slice(0, -4)}AAAA` }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    assert.equal(forged.name, 'InvalidClientTokenId');

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'app' }));
    assert.equal(Role?.RoleLastUsed?.Region, 'us-east-1');
  });

  it('refuses callers the trust policy does not name, missing roles and long sessions', async () => {
    const serviceOnly = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'tasks-only',
        AssumeRolePolicyDocument: JSON.stringify(serviceOnly),
      }),
    );
    const notNamed = await awsError(() =>
      sts(dev).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/tasks-only`, RoleSessionName: 'x1' }),
      ),
    );
    assert.equal(notNamed.name, 'AccessDenied');
    const missing = await awsError(() =>
      sts(dev).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: 'x1' }),
      ),
    );
    assert.equal(missing.name, 'AccessDenied');

    const accountTrust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(
      new CreateRoleCommand({ RoleName: 'any', AssumeRolePolicyDocument: JSON.stringify(accountTrust) }),
    );
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/any`;
    const long = await awsError(() =>
      root.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1', DurationSeconds: 7200 })),
    );
    assert.equal(long.name, 'ValidationError');
    assert.match(long.message, /exceeds the MaxSessionDuration set for this role/);
    const badPolicy = await awsError(() =>
      root.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1', Policy: '{"Statement":' })),
    );
    assert.deepEqual(
      [badPolicy.name, badPolicy.status, badPolicy.message],
      ['MalformedPolicyDocumentException', 400, 'This policy contains invalid Json'],
    );
    // Session tags need sts:TagSession in the trust policy.
    const tags = await awsError(() =>
      root.send(
        new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1', Tags: [{ Key: 'team', Value: 'a' }] }),
      ),
    );
    assert.equal(tags.name, 'AccessDenied');
    assert.match(tags.message, /sts:TagSession/);
  });

  it('chains role sessions for at most an hour', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ],
    };
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'hop',
        AssumeRolePolicyDocument: JSON.stringify(trust),
        MaxSessionDuration: 7200,
      }),
    );
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/hop`;
    const first = await root.send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: 'one',
        Tags: [{ Key: 'team', Value: 'a' }],
        TransitiveTagKeys: ['team'],
      }),
    );
    const c = first.Credentials!;
    const hop = sts({
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    // The role's own policies must allow sts:AssumeRole for the chained call.
    const allow = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] };
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'hop', PolicyName: 'sts', PolicyDocument: JSON.stringify(allow) }),
    );
    const long = await awsError(() =>
      hop.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'two', DurationSeconds: 7200 })),
    );
    assert.equal(long.name, 'ValidationError');
    assert.match(long.message, /1 hour session limit for roles assumed by role chaining/);
    const second = await hop.send(
      new AssumeRoleCommand({ RoleArn, RoleSessionName: 'two', DurationSeconds: 3600 }),
    );
    assert.equal(second.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/hop/two`);
  });

  it('issues session tokens that stand for the user', async () => {
    const { Credentials } = await sts(dev).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
    assert.match(session.accessKeyId, /^ASIA/);
    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
    const again = await awsError(() => sts(session).send(new GetSessionTokenCommand({})));
    assert.ok(['AccessDenied', 'AccessDeniedException'].includes(again.name), again.name);
    const tooShort = await awsError(() => sts(dev).send(new GetSessionTokenCommand({ DurationSeconds: 60 })));
    assert.equal(tooShort.name, 'ValidationError');
  });
});

describe('STS sessions across restarts', () => {
  it('keeps temporary credentials working after the control plane restarts', async () => {
    const first = await startTestPlane({ controllers: false });
    const iam = new IAMClient({
      endpoint: first.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(
      new CreateRoleCommand({ RoleName: 'durable', AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    const root = new STSClient({
      endpoint: first.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const { Credentials } = await root.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/durable`, RoleSessionName: 'keep' }),
    );
    iam.destroy();
    root.destroy();
    await first.stop({ keepData: true });

    const second = await startTestPlane({ controllers: false, dataDir: first.dataDir });
    const sts = new STSClient({
      endpoint: second.plane.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
      maxAttempts: 1,
    });
    try {
      const who = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/durable/keep`);
    } finally {
      sts.destroy();
      await second.stop();
    }
  });
});
