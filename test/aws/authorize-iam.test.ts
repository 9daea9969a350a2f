/**
 * Authorization end to end with IAM's own records: a user made with the IAM API, its inline
 * policy and access key, calling ECS through a real control plane (the credential index and the
 * policy cache fed by the store's change feed), and `longshore iam explain` over the same store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { explain, formatExplanation } from '../../src/cli/iam-explain.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const READ_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'EcsRead', Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' }],
});

describe('IAM users authorized end to end', () => {
  let t: TestPlane;
  let iam: IAMClient;
  let key: { accessKeyId: string; secretAccessKey: string };
  let user: ECSClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    iam = new IAMClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'ecs-read', PolicyDocument: READ_ONLY }),
    );
    const made = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    key = { accessKeyId: made.AccessKey!.AccessKeyId!, secretAccessKey: made.AccessKey!.SecretAccessKey! };
    user = new ECSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    });
    await t.ecs.send(new CreateClusterCommand({}));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
      }),
    );
  });
  after(async () => {
    iam.destroy();
    user.destroy();
    await t.stop();
  });

  it('a read-only user may describe and may not run tasks', async () => {
    const clusters = await user.send(new DescribeClustersCommand({}));
    assert.equal(clusters.clusters?.[0]?.clusterName, 'default');
    const denied = await awsError(() => user.send(new RunTaskCommand({ taskDefinition: 'web:1' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(
      denied.message,
      'User: arn:aws:iam::000000000000:user/reader is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:000000000000:task-definition/web:1 because no identity-based policy allows the ecs:RunTask action',
    );
  });

  it('`longshore iam explain` names the statement that allowed and the reason for a denial', async () => {
    const root = { accessKeyId: TEST_CREDENTIALS.accessKeyId, accountId: '000000000000' };
    const allowed = await explain(t.plane.store, root, {
      accessKeyId: key.accessKeyId,
      action: 'ecs:DescribeClusters',
      resource: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      region: 'us-east-1',
      context: {},
      now: Date.now(),
    });
    assert.equal(allowed.decision.type, 'allowed');
    assert.deepEqual(
      allowed.decision.statements.map((s) => [s.source, s.sid]),
      [['inline:user/reader/ecs-read', 'EcsRead']],
    );
    const denied = await explain(t.plane.store, root, {
      accessKeyId: key.accessKeyId,
      action: 'ecs:RunTask',
      resource: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      region: 'us-east-1',
      context: {},
      now: Date.now(),
    });
    assert.match(
      formatExplanation(denied),
      /decision: {2}DENIED: no identity-based policy allows ecs:RunTask/,
    );
    const rootView = await explain(t.plane.store, root, {
      ...denied,
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      region: 'us-east-1',
      context: {},
      now: Date.now(),
    });
    assert.equal(rootView.decision.type, 'allowed');
  });

  it('SimulatePrincipalPolicy answers as the gateway decides', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: 'arn:aws:iam::000000000000:user/reader',
        ActionNames: ['ecs:DescribeTasks', 'ecs:RunTask'],
      }),
    );
    assert.deepEqual(
      out.EvaluationResults?.map((r) => [
        r.EvalActionName,
        r.EvalDecision,
        r.MatchedStatements?.map((s) => s.SourcePolicyId),
      ]),
      [
        ['ecs:DescribeTasks', 'allowed', ['inline:user/reader/ecs-read']],
        ['ecs:RunTask', 'implicitDeny', []],
      ],
    );
  });

  it('a policy change takes effect on the next request (the cache follows the change feed)', async () => {
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'ecs-read' }));
    const denied = await awsError(() => user.send(new DescribeClustersCommand({})));
    assert.equal(denied.name, 'AccessDeniedException');
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'ecs-read', PolicyDocument: READ_ONLY }),
    );
    await user.send(new DescribeClustersCommand({}));
  });
});
