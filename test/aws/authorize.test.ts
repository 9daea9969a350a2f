/**
 * IAM authorization through the gateway with the real SDK clients: AWS's access-denied errors and
 * messages, explicit deny, permissions boundaries, iam:PassRole, resource policies, the root key
 * untouched, enforcement off, and the per-principal policy cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateRepositoryCommand,
  BatchGetImageCommand,
  ECRClient,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsError, TEST_CREDENTIALS } from '../support/control-plane.ts';
import {
  ACCOUNT,
  type AuthorizeFixture,
  credentialsOf,
  policy,
  startAuthorizeFixture,
  userIdentity,
} from './authorize-fixture.ts';

// An AmazonECS read-only style policy (the Describe* and List* of AmazonECS_FullAccess's read side).
const reader = userIdentity('reader', {
  identity: [
    policy('arn:aws:iam::000000000000:policy/EcsReadOnly', {
      Effect: 'Allow',
      Action: ['ecs:Describe*', 'ecs:List*'],
      Resource: '*',
    }),
  ],
});
const operator = userIdentity('operator', {
  identity: [
    policy('inline:user/operator/ecs', { Sid: 'AllEcs', Effect: 'Allow', Action: 'ecs:*', Resource: '*' }),
    policy('inline:user/operator/no-delete', {
      Sid: 'NoDelete',
      Effect: 'Deny',
      Action: 'ecs:DeleteCluster',
      Resource: '*',
    }),
  ],
});
const bounded = userIdentity('bounded', {
  identity: [policy('inline:user/bounded/ecs', { Effect: 'Allow', Action: 'ecs:*', Resource: '*' })],
  boundary: policy('arn:aws:iam::000000000000:policy/ReadBoundary', {
    Effect: 'Allow',
    Action: ['ecs:Describe*', 'ecs:List*'],
    Resource: '*',
  }),
});
const passer = userIdentity('passer', {
  identity: [
    policy('inline:user/passer/ecs', { Effect: 'Allow', Action: 'ecs:*', Resource: '*' }),
    policy('inline:user/passer/pass', {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  ],
});
const puller = userIdentity('puller', { identity: [] });

describe('IAM authorization on every request', () => {
  let fx: AuthorizeFixture;
  const ecs = (who: { accessKeyId: string; secretAccessKey: string }) =>
    new ECSClient({ endpoint: fx.endpoint, region: 'us-east-1', credentials: who, maxAttempts: 1 });

  before(async () => {
    fx = await startAuthorizeFixture([reader, operator, bounded, passer, puller]);
    await ecs(TEST_CREDENTIALS).send(new CreateClusterCommand({}));
    await ecs(TEST_CREDENTIALS).send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
      }),
    );
  });
  after(() => fx.close());

  it('a read-only user is allowed DescribeTasks and denied RunTask with AWS message', async () => {
    const client = ecs(credentialsOf(reader));
    const described = await client.send(
      new DescribeTasksCommand({ tasks: ['0123456789abcdef0123456789abcdef'] }),
    );
    assert.equal(described.failures?.[0]?.reason, 'MISSING');
    const denied = await awsError(() => client.send(new RunTaskCommand({ taskDefinition: 'web:1' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.status, 403); // ECS's model gives AccessDeniedException httpError 403
    assert.equal(
      denied.message,
      'User: arn:aws:iam::000000000000:user/reader is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:000000000000:task-definition/web:1 because no identity-based policy allows the ecs:RunTask action',
    );
  });

  it('an explicit deny beats an allow', async () => {
    const client = ecs(credentialsOf(operator));
    await client.send(new CreateClusterCommand({ clusterName: 'ops' }));
    const denied = await awsError(() => client.send(new DeleteClusterCommand({ cluster: 'ops' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(
      denied.message,
      'User: arn:aws:iam::000000000000:user/operator is not authorized to perform: ecs:DeleteCluster on resource: arn:aws:ecs:us-east-1:000000000000:cluster/ops with an explicit deny in an identity-based policy',
    );
  });

  it('a permissions boundary limits what the identity policies allow', async () => {
    const client = ecs(credentialsOf(bounded));
    await client.send(new ListClustersCommand({}));
    const denied = await awsError(() => client.send(new CreateClusterCommand({ clusterName: 'b' })));
    assert.match(
      denied.message,
      /on resource: \* because no permissions boundary allows the ecs:CreateCluster action$/,
    );
  });

  it('iam:PassRole is checked for the roles a task definition names, with iam:PassedToService', async () => {
    const client = ecs(credentialsOf(passer));
    const register = (taskRoleArn: string) =>
      client.send(
        new RegisterTaskDefinitionCommand({
          family: 'with-role',
          taskRoleArn,
          containerDefinitions: [{ name: 'c', image: 'busybox', memory: 64 }],
        }),
      );
    await register(`arn:aws:iam::${ACCOUNT}:role/app-web`);
    const denied = await awsError(() => register(`arn:aws:iam::${ACCOUNT}:role/admin`));
    assert.equal(
      denied.message,
      `User: arn:aws:iam::${ACCOUNT}:user/passer is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/admin because no identity-based policy allows the iam:PassRole action`,
    );
    // The reader may not register at all: the action is checked before the role.
    const readerDenied = await awsError(() =>
      ecs(credentialsOf(reader)).send(
        new RegisterTaskDefinitionCommand({
          family: 'x',
          containerDefinitions: [{ name: 'c', image: 'i', memory: 8 }],
        }),
      ),
    );
    assert.match(readerDenied.message, /perform: ecs:RegisterTaskDefinition on resource: \*/);
  });

  it('the root key is unaffected', async () => {
    const root = ecs(TEST_CREDENTIALS);
    await root.send(new CreateClusterCommand({ clusterName: 'root-made' }));
    await root.send(new DeleteClusterCommand({ cluster: 'root-made' }));
  });

  it('Query services answer AccessDenied (403); sts:GetCallerIdentity needs no permission', async () => {
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: fx.endpoint,
      region: 'us-east-1',
      credentials: credentialsOf(reader),
      maxAttempts: 1,
    });
    const denied = await awsError(() => elb.send(new DescribeLoadBalancersCommand({})));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.match(denied.message, /perform: elasticloadbalancing:DescribeLoadBalancers on resource: \*/);
    const sts = new STSClient({
      endpoint: fx.endpoint,
      region: 'us-east-1',
      credentials: credentialsOf(reader),
      maxAttempts: 1,
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, ACCOUNT);
  });

  it('an ECR repository policy grants a user no identity policy allows', async () => {
    const root = new ECRClient({
      endpoint: fx.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    await root.send(new CreateRepositoryCommand({ repositoryName: 'shared' }));
    const ecr = new ECRClient({
      endpoint: fx.endpoint,
      region: 'us-east-1',
      credentials: credentialsOf(puller),
      maxAttempts: 1,
    });
    const pull = () =>
      ecr.send(new BatchGetImageCommand({ repositoryName: 'shared', imageIds: [{ imageTag: 'latest' }] }));
    const denied = await awsError(pull);
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(
      denied.message,
      /ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:000000000000:repository\/shared because/,
    );
    await root.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'shared',
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Pull',
              Effect: 'Allow',
              Principal: { AWS: puller.principal.arn },
              Action: ['ecr:BatchGetImage'],
            },
          ],
        }),
      }),
    );
    const images = await pull();
    assert.equal(images.failures?.[0]?.failureCode, 'ImageNotFound');
  });

  it("compiles a principal's policies once and reloads them after invalidation", async () => {
    const client = ecs(credentialsOf(reader));
    const before = fx.loads.get(reader.principal.arn) ?? 0;
    await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    assert.equal(fx.loads.get(reader.principal.arn), Math.max(before, 1));
    fx.authorizer.invalidate();
    await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    assert.equal(fx.loads.get(reader.principal.arn), Math.max(before, 1) + 1);
  });
});

describe('IAM authorization off (--iam off)', () => {
  let fx: AuthorizeFixture;
  before(async () => {
    fx = await startAuthorizeFixture([reader], { enabled: false });
  });
  after(() => fx.close());

  it('lets every signed request through', async () => {
    const client = new ECSClient({
      endpoint: fx.endpoint,
      region: 'us-east-1',
      credentials: credentialsOf(reader),
      maxAttempts: 1,
    });
    await client.send(new CreateClusterCommand({ clusterName: 'anything-goes' }));
    const error = await awsError(() => client.send(new RunTaskCommand({ taskDefinition: 'missing:1' })));
    assert.notEqual(error.name, 'AccessDeniedException');
    assert.equal(fx.loads.size, 0);
  });
});
