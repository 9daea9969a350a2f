/** MalformedPolicyDocument messages as IAM answers them, and the action/resource catalog's answers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksFor } from '../../src/aws/authorization/catalog.ts';
import { registryCheck } from '../../src/aws/authorization/registry-actions.ts';
import { policyDocumentError } from '../../src/iam/policy/validate.ts';

const st = (s: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [s] });

describe('policy validation', () => {
  const table: [string, string, 'identity' | 'trust' | 'resource', string | undefined][] = [
    ['valid', st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), 'identity', undefined],
    ['not JSON', '{', 'identity', 'Syntax errors in policy.'],
    [
      'unknown element',
      st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Foo: 1 }),
      'identity',
      'Syntax errors in policy.',
    ],
    [
      'no Version',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }] }),
      'identity',
      'Policy document must be version 2012-10-17 or greater.',
    ],
    [
      'Effect in the wrong case',
      st({ Effect: 'allow', Action: 'ecs:*', Resource: '*' }),
      'identity',
      'The policy failed legacy parsing',
    ],
    [
      'no actions',
      st({ Effect: 'Allow', Resource: '*' }),
      'identity',
      'Policy statement must contain actions.',
    ],
    [
      'no resources',
      st({ Effect: 'Allow', Action: 'ecs:*' }),
      'identity',
      'Policy statement must contain resources.',
    ],
    [
      'a principal in an identity policy',
      st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Principal: '*' }),
      'identity',
      'Policy document should not specify a principal.',
    ],
    [
      'an action without a vendor',
      st({ Effect: 'Allow', Action: 'RunTask', Resource: '*' }),
      'identity',
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'two colons',
      st({ Effect: 'Allow', Action: 'ecs:Run:Task', Resource: '*' }),
      'identity',
      'Actions/Condition can contain only one colon.',
    ],
    [
      'a resource not an ARN',
      st({ Effect: 'Allow', Action: 'ecs:*', Resource: 'cluster' }),
      'identity',
      'Resource cluster must be in ARN format or "*".',
    ],
    [
      'duplicate Sids',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Action: 'ecs:*', Resource: '*' },
          { Sid: 'A', Effect: 'Deny', Action: 'ecs:*', Resource: '*' },
        ],
      }),
      'identity',
      'Statement IDs (SID) in a single policy must be unique.',
    ],
    [
      'an unknown condition operator',
      st({
        Effect: 'Allow',
        Action: 'ecs:*',
        Resource: '*',
        Condition: { StringEqualz: { 'ecs:cluster': 'x' } },
      }),
      'identity',
      'Syntax errors in policy.',
    ],
    [
      'a trust policy with a Resource',
      st({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Resource: '*',
      }),
      'trust',
      'Has prohibited field Resource.',
    ],
    [
      'a trust policy without a Principal',
      st({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
      'trust',
      'Missing required field Principal',
    ],
    [
      'a resource policy naming a bad principal',
      st({ Effect: 'Allow', Action: 'ecr:*', Principal: { AWS: 'bob' } }),
      'resource',
      'Invalid principal in policy: "AWS":"bob"',
    ],
    [
      'a resource policy may omit Version',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:*', Principal: '*' }] }),
      'resource',
      undefined,
    ],
  ];
  for (const [name, text, kind, expected] of table)
    it(name, () => assert.equal(policyDocumentError(text, kind), expected));
});

describe('the action and resource catalog', () => {
  const scope = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
  it('ecs:RunTask is on the task definition with ecs:cluster, and passes its roles', () => {
    const checks = checksFor(
      'ecs',
      'RunTask',
      {
        cluster: 'prod',
        taskDefinition: 'web:3',
        overrides: { taskRoleArn: 'arn:aws:iam::123456789012:role/app' },
      },
      scope,
    );
    assert.deepEqual(checks, [
      {
        action: 'ecs:RunTask',
        resources: [
          {
            arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
            context: { 'ecs:cluster': 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' },
          },
        ],
        context: undefined,
      },
      {
        action: 'iam:PassRole',
        resources: [{ arn: 'arn:aws:iam::123456789012:role/app' }],
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ]);
  });
  it('ecs:DescribeServices is on each service; List* and unknown operations on *', () => {
    const [d] = checksFor(
      'ecs',
      'DescribeServices',
      { services: ['a', 'arn:aws:ecs:us-east-1:123456789012:service/c/b'] },
      scope,
    );
    assert.deepEqual(
      d!.resources.map((r) => r.arn),
      [
        'arn:aws:ecs:us-east-1:123456789012:service/default/a',
        'arn:aws:ecs:us-east-1:123456789012:service/c/b',
      ],
    );
    assert.deepEqual(checksFor('ecs', 'ListClusters', {}, scope)[0]!.resources, [{ arn: '*' }]);
    assert.equal(checksFor('ecs', 'SomethingNew', {}, scope)[0]!.action, 'ecs:SomethingNew');
  });
  it('prefixes differ from service names; GetCallerIdentity needs nothing', () => {
    assert.equal(
      checksFor('elbv2', 'DescribeLoadBalancers', {}, scope)[0]!.action,
      'elasticloadbalancing:DescribeLoadBalancers',
    );
    assert.deepEqual(checksFor('sts', 'GetCallerIdentity', {}, scope), []);
  });
  it('tags a request sets are aws:RequestTag and aws:TagKeys', () => {
    const [c] = checksFor(
      'ecs',
      'CreateCluster',
      { clusterName: 'x', tags: [{ key: 'team', value: 'red' }] },
      scope,
    );
    assert.deepEqual(c!.context, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'red' });
    const [u] = checksFor('logs', 'UntagLogGroup', { logGroupName: 'g', tags: ['team'] }, scope);
    assert.deepEqual(u!.context, { 'aws:TagKeys': ['team'] });
  });
  it('logs and secrets resources', () => {
    assert.equal(
      checksFor('logs', 'PutLogEvents', { logGroupName: '/ecs/web', logStreamName: 's' }, scope)[0]!
        .resources[0]!.arn,
      'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:s',
    );
    const [g] = checksFor('secretsmanager', 'GetSecretValue', { SecretId: 'db' }, scope);
    assert.deepEqual(g!.resources[0]!.ref, { type: 'secret', id: 'db' });
  });
  it('docker push and pull map to ECR actions on the repository', () => {
    assert.equal(registryCheck({ type: 'manifest', name: 'app' }, 'GET', scope)?.action, 'ecr:BatchGetImage');
    assert.equal(registryCheck({ type: 'manifest', name: 'app' }, 'PUT', scope)?.action, 'ecr:PutImage');
    assert.equal(
      registryCheck({ type: 'blob', name: 'app' }, 'GET', scope)?.action,
      'ecr:GetDownloadUrlForLayer',
    );
    assert.equal(
      registryCheck({ type: 'uploads', name: 'app' }, 'POST', scope)?.action,
      'ecr:InitiateLayerUpload',
    );
    assert.equal(
      registryCheck({ type: 'upload', name: 'app' }, 'PATCH', scope)?.action,
      'ecr:UploadLayerPart',
    );
    assert.equal(
      registryCheck({ type: 'upload', name: 'app' }, 'PUT', scope)?.action,
      'ecr:CompleteLayerUpload',
    );
    assert.equal(
      registryCheck({ type: 'manifest', name: 'app' }, 'GET', scope)?.resources[0]?.arn,
      'arn:aws:ecr:us-east-1:123456789012:repository/app',
    );
    assert.equal(registryCheck({ type: 'base' }, 'GET', scope), undefined);
  });
});
