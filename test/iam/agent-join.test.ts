/**
 * Agent join tokens and agent keys through a real control plane: the token operations of
 * Longshore's API, the unsigned join exchange, the `ecsInstanceRole` principal agent keys sign as
 * (authorized by AmazonEC2ContainerServiceforEC2Role), and the agent channel's cluster restriction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  ECSClient,
  ListClustersCommand,
  RegisterContainerInstanceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateLogGroupCommand,
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MAX_REFUSALS } from '../../src/cli/agent-join-route.ts';
import { callLongshore } from '../../src/cli/longshore-call.ts';
import { AGENT_CHANNEL_PATH, AGENT_JOIN_PATH } from '../../src/core/agent-protocol.ts';
import { signRequest } from '../../src/core/sign-request.ts';
import type { AgentJoinTokenRecord, AgentKeyRecord } from '../../src/iam/model/agent-keys.ts';
import { Kind } from '../../src/store/store.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { openChannel } from '../aws/sigv4-fixtures.ts';

type KeyPair = { accessKeyId: string; secretAccessKey: string };

const REGION = 'us-east-1';

async function join(
  endpoint: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(new URL(AGENT_JOIN_PATH, endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

function createToken(t: TestPlane, input: object = {}, credentials: KeyPair = TEST_CREDENTIALS) {
  return callLongshore('CreateAgentJoinToken', t.plane.endpoint, REGION, input, credentials) as Promise<{
    tokenId: string;
    token: string;
    expiresAt: number;
  }>;
}

async function joined(t: TestPlane, input: object = {}): Promise<KeyPair & { roleArn: string }> {
  const { token } = await createToken(t, input);
  const res = await join(t.plane.endpoint, { token, hostname: 'host-1' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as unknown as KeyPair & { roleArn: string };
}

/** Opens the agent channel signed with `credentials` for `cluster`: the upgrade's status. */
async function connect(
  endpoint: string,
  credentials: KeyPair,
  cluster: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(AGENT_CHANNEL_PATH, endpoint);
  url.searchParams.set('cluster', cluster);
  url.searchParams.set(
    'containerInstance',
    `arn:aws:ecs:${REGION}:000000000000:container-instance/${cluster}/0123456789abcdef0123456789abcdef`,
  );
  const headers = await signRequest(credentials, REGION, { method: 'GET', url, now: Date.now() });
  const { host: _host, ...sent } = headers;
  return openChannel(url.toString(), sent);
}

const iamClient = (endpoint: string, credentials: KeyPair) =>
  new IAMClient({ endpoint, region: REGION, credentials, maxAttempts: 1 });
const ecsWith = (endpoint: string, credentials: KeyPair) =>
  new ECSClient({ endpoint, region: REGION, credentials, maxAttempts: 1 });

describe('agent join tokens', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(async () => {
    await t.stop();
  });

  it('creates, lists without secrets and deletes tokens', async () => {
    const made = await createToken(t, { cluster: 'prod', maxUses: 3, description: 'rack 4' });
    assert.match(made.token, new RegExp(`^lsjt-${made.tokenId}\\.[A-Za-z0-9_-]{43}$`));
    const now = Date.now() / 1000;
    assert.ok(Math.abs(made.expiresAt - (now + 86_400)) < 60, 'expires in 24 h by default');
    const stored = await t.plane.store.get<AgentJoinTokenRecord>(Kind.AgentJoinToken, made.tokenId);
    assert.ok(stored);
    assert.ok(!JSON.stringify(stored.value).includes(made.token.split('.')[1]!), 'only a hash is stored');
    const listed = (await callLongshore(
      'ListAgentJoinTokens',
      t.plane.endpoint,
      REGION,
      {},
      TEST_CREDENTIALS,
    )) as {
      tokens: Record<string, unknown>[];
    };
    const mine = listed.tokens.find((x) => x.tokenId === made.tokenId);
    assert.deepEqual(
      { ...mine, createdAt: 0, expiresAt: 0 },
      {
        tokenId: made.tokenId,
        cluster: 'prod',
        description: 'rack 4',
        maxUses: 3,
        uses: 0,
        expired: false,
        createdAt: 0,
        expiresAt: 0,
        createdBy: 'arn:aws:iam::000000000000:root',
      },
    );
    assert.ok(!JSON.stringify(listed).includes('secretHash'));
    await callLongshore(
      'DeleteAgentJoinToken',
      t.plane.endpoint,
      REGION,
      { tokenId: made.tokenId },
      TEST_CREDENTIALS,
    );
    const after = (await callLongshore(
      'ListAgentJoinTokens',
      t.plane.endpoint,
      REGION,
      {},
      TEST_CREDENTIALS,
    )) as {
      tokens: { tokenId: string }[];
    };
    assert.ok(!after.tokens.some((x) => x.tokenId === made.tokenId));
    await assert.rejects(
      callLongshore(
        'DeleteAgentJoinToken',
        t.plane.endpoint,
        REGION,
        { tokenId: made.tokenId },
        TEST_CREDENTIALS,
      ),
      /^Error: ResourceNotFoundException: The join token [0-9a-f]+ does not exist\.$/,
    );
  });

  for (const c of [
    {
      input: { expiresInSeconds: 31 * 86_400 },
      error: /InvalidParameterException: expiresInSeconds must be between 60 and 2592000/,
    },
    { input: { expiresInSeconds: 10 }, error: /InvalidParameterException: expiresInSeconds/ },
    { input: { maxUses: 0 }, error: /InvalidParameterException: maxUses must be between 1/ },
    {
      input: { cluster: 'no such/cluster' },
      error: /InvalidParameterException: cluster must be a cluster name/,
    },
    { input: { description: 'x'.repeat(300) }, error: /InvalidParameterException: description/ },
    { input: { maxUses: 'three' }, error: /SerializationException/ },
  ]) {
    it(`refuses ${JSON.stringify(c.input).slice(0, 40)}`, async () => {
      await assert.rejects(createToken(t, c.input), c.error);
    });
  }

  it('makes no role for a refused token', async () => {
    const res = await join(t.plane.endpoint, { token: 'lsjt-0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(res.status, 403);
    const iam = iamClient(t.plane.endpoint, TEST_CREDENTIALS);
    try {
      const missing = await awsError(() => iam.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' })));
      assert.equal(missing.name, 'NoSuchEntityException');
    } finally {
      iam.destroy();
    }
  });

  it('requires DeleteAgentJoinToken a tokenId', async () => {
    await assert.rejects(
      callLongshore('DeleteAgentJoinToken', t.plane.endpoint, REGION, {}, TEST_CREDENTIALS),
      /InvalidParameterException: tokenId is required/,
    );
  });

  it('authorizes IAM users by longshore:<Operation>', async () => {
    const iam = iamClient(t.plane.endpoint, TEST_CREDENTIALS);
    try {
      await iam.send(new CreateUserCommand({ UserName: 'ops' }));
      const made = await iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }));
      const key = {
        accessKeyId: made.AccessKey!.AccessKeyId!,
        secretAccessKey: made.AccessKey!.SecretAccessKey!,
      };
      await assert.rejects(
        createToken(t, {}, key),
        /AccessDeniedException: User: arn:aws:iam::000000000000:user\/ops is not authorized to perform: longshore:CreateAgentJoinToken/,
      );
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ops',
          PolicyName: 'join-tokens',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'longshore:CreateAgentJoinToken', Resource: '*' }],
          }),
        }),
      );
      const ok = await createToken(t, {}, key);
      assert.match(ok.token, /^lsjt-/);
    } finally {
      iam.destroy();
    }
  });
});

describe('the join exchange', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(async () => {
    await t.stop();
  });

  it('trades a token for an ecsInstanceRole key, made with the managed policy on the first join', async () => {
    const { token, tokenId } = await createToken(t, { maxUses: 2 });
    const res = await join(t.plane.endpoint, { token, hostname: 'rack4-host1' });
    assert.equal(res.status, 200);
    assert.match(res.body.accessKeyId!, /^AKLA[A-Z2-7]{16}$/);
    assert.equal(res.body.secretAccessKey!.length, 40);
    assert.equal(res.body.roleArn, 'arn:aws:iam::000000000000:role/ecsInstanceRole');
    const iam = iamClient(t.plane.endpoint, TEST_CREDENTIALS);
    try {
      const role = await iam.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' }));
      const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
      assert.deepEqual(trust.Statement[0].Principal, { Service: 'ec2.amazonaws.com' });
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsInstanceRole' }));
      assert.deepEqual(
        attached.AttachedPolicies?.map((p) => p.PolicyArn),
        ['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
      );
    } finally {
      iam.destroy();
    }
    const key = await t.plane.store.get<AgentKeyRecord>(Kind.AgentKey, res.body.accessKeyId!);
    assert.equal(key?.value.tokenId, tokenId);
    assert.equal(key?.value.hostname, 'rack4-host1');
    assert.ok(!JSON.stringify(key?.value).includes(res.body.secretAccessKey!), 'the secret is sealed');
    const token2 = await t.plane.store.get<AgentJoinTokenRecord>(Kind.AgentJoinToken, tokenId);
    assert.equal(token2?.value.uses, 1);
  });

  it('refuses used-up, expired, revoked and unknown tokens with 403 and what to do', async () => {
    const once = await createToken(t, { maxUses: 1 });
    assert.equal((await join(t.plane.endpoint, { token: once.token })).status, 200);
    const expired = await createToken(t);
    const record = await t.plane.store.get<AgentJoinTokenRecord>(Kind.AgentJoinToken, expired.tokenId);
    await t.plane.store.transact((tx) =>
      tx.put(
        Kind.AgentJoinToken,
        expired.tokenId,
        { ...record!.value, expiresAt: Date.now() - 1 },
        record!.version,
      ),
    );
    const revoked = await createToken(t);
    await callLongshore(
      'DeleteAgentJoinToken',
      t.plane.endpoint,
      REGION,
      { tokenId: revoked.tokenId },
      TEST_CREDENTIALS,
    );
    const wrongSecret = `${once.token.split('.')[0]}.${'A'.repeat(43)}`;
    for (const token of [
      once.token,
      expired.token,
      revoked.token,
      wrongSecret,
      'lsjt-0123456789abcdef.nope-nope-nope-nope',
      'not a token',
    ]) {
      const res = await join(t.plane.endpoint, { token });
      assert.equal(res.status, 403, token);
      assert.equal(res.body.__type, 'AccessDeniedException');
      assert.match(res.body.message!, /create a new token with `longshore join-token create`/);
      const secret = token.split('.')[1];
      if (secret) assert.ok(!res.body.message!.includes(secret), 'the token is not echoed');
    }
  });

  it('answers a malformed body with 400 InvalidParameterException', async () => {
    for (const body of ['{not json', '[]', JSON.stringify({ hostname: 'h' }), JSON.stringify({ token: 5 })]) {
      const res = await join(t.plane.endpoint, body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body.__type, 'InvalidParameterException');
    }
    const { token } = await createToken(t);
    const bad = await join(t.plane.endpoint, { token, hostname: 'not a host name!' });
    assert.equal(bad.status, 400);
  });

  it('keeps the keys of agents that joined when their token is deleted', async () => {
    const { token, tokenId } = await createToken(t);
    const key = (await join(t.plane.endpoint, { token })).body as unknown as KeyPair;
    await callLongshore('DeleteAgentJoinToken', t.plane.endpoint, REGION, { tokenId }, TEST_CREDENTIALS);
    const ecs = ecsWith(t.plane.endpoint, key);
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
      const out = await ecs.send(
        new RegisterContainerInstanceCommand({
          cluster: 'default',
          totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }],
        }),
      );
      assert.match(out.containerInstance?.containerInstanceArn ?? '', /container-instance\/default\//);
    } finally {
      ecs.destroy();
    }
  });
});

describe('the agent principal', () => {
  let t: TestPlane;
  let key: KeyPair & { roleArn: string };
  let ecs: ECSClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    key = await joined(t);
    ecs = ecsWith(t.plane.endpoint, key);
  });
  after(async () => {
    ecs.destroy();
    await t.stop();
  });

  it('may do what AmazonEC2ContainerServiceforEC2Role allows and nothing else', async () => {
    await ecs.send(new ListClustersCommand({})).then(
      () => assert.fail('ListClusters is not in the instance role policy'),
      (error: Error) => assert.equal(error.name, 'AccessDeniedException'),
    );
    // What the agent calls to start: CreateCluster (idempotent) for `default`, then registration.
    await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
    const registered = await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: 'default',
        totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }],
      }),
    );
    assert.ok(registered.containerInstance?.containerInstanceArn);
    const denied = await awsError(() => ecs.send(new DeleteClusterCommand({ cluster: 'default' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(
      denied.message,
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/ecsInstanceRole/${key.accessKeyId} is not authorized to perform: ecs:DeleteCluster`,
      ),
    );
    const iam = iamClient(t.plane.endpoint, key);
    try {
      const listUsers = await awsError(() => iam.send(new ListUsersCommand({})));
      assert.equal(listUsers.name, 'AccessDenied');
      assert.match(
        listUsers.message,
        /assumed-role\/ecsInstanceRole\/.* is not authorized to perform: iam:ListUsers/,
      );
    } finally {
      iam.destroy();
    }
  });

  it('may ship awslogs and may not read secrets (the task needs an execution role for those)', async () => {
    const rootLogs = new CloudWatchLogsClient({
      endpoint: t.plane.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const logs = new CloudWatchLogsClient({
      endpoint: t.plane.endpoint,
      region: REGION,
      credentials: key,
      maxAttempts: 1,
    });
    const rootSecrets = new SecretsManagerClient({
      endpoint: t.plane.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const secrets = new SecretsManagerClient({
      endpoint: t.plane.endpoint,
      region: REGION,
      credentials: key,
      maxAttempts: 1,
    });
    try {
      await rootLogs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/app' }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/app', logStreamName: 'app/web/1' }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/ecs/app',
          logStreamName: 'app/web/1',
          logEvents: [{ timestamp: Date.now(), message: 'hello' }],
        }),
      );
      const group = await awsError(() =>
        logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/other' })),
      );
      assert.equal(group.name, 'AccessDeniedException');
      await rootSecrets.send(new CreateSecretCommand({ Name: 'db', SecretString: 'pw' }));
      const denied = await awsError(() => secrets.send(new GetSecretValueCommand({ SecretId: 'db' })));
      assert.equal(denied.name, 'AccessDeniedException');
    } finally {
      for (const c of [rootLogs, logs, rootSecrets, secrets]) c.destroy();
    }
  });

  it('connects for the cluster its token names only', async () => {
    const restricted = await joined(t, { cluster: 'prod' });
    const wrong = await connect(t.plane.endpoint, restricted, 'staging');
    assert.equal(wrong.status, 403);
    assert.match(JSON.parse(wrong.body).message, /may only connect for cluster prod/);
    assert.equal((await connect(t.plane.endpoint, restricted, 'prod')).status, 101);
    assert.equal(
      (await connect(t.plane.endpoint, key, 'staging')).status,
      101,
      'an unrestricted key connects anywhere',
    );
  });
});

describe('a user-made ecsInstanceRole', () => {
  it('is used as it is; refused joins are throttled', async () => {
    const t = await startTestPlane({ controllers: false });
    const iam = iamClient(t.plane.endpoint, TEST_CREDENTIALS);
    try {
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'ecsInstanceRole',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          }),
        }),
      );
      const key = await joined(t);
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsInstanceRole' }));
      assert.deepEqual(attached.AttachedPolicies, [], 'nothing was attached to the user’s role');
      const ecs = ecsWith(t.plane.endpoint, key);
      try {
        const denied = await awsError(() =>
          ecs.send(new RegisterContainerInstanceCommand({ cluster: 'default' })),
        );
        assert.equal(denied.name, 'AccessDeniedException');
      } finally {
        ecs.destroy();
      }
      // Past MAX_REFUSALS refused tokens in a minute, the address is throttled, good token or not.
      const { token } = await createToken(t);
      for (let i = 0; i < MAX_REFUSALS; i++)
        assert.equal((await join(t.plane.endpoint, { token: `${token}x` })).status, 403);
      const throttled = await join(t.plane.endpoint, { token });
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.__type, 'ThrottlingException');
    } finally {
      iam.destroy();
      await t.stop();
    }
  });
});
