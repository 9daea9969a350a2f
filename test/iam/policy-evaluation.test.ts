/**
 * Policy evaluation tables: the examples of IAM's "Policy evaluation logic" pages (identity- and
 * resource-based policies in one account, permissions boundaries, session policies, cross-account)
 * and of the Action / Resource / NotAction / NotResource / Principal element pages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deniedMessage } from '../../src/iam/policy/evaluate.ts';
import { ACCOUNT, type Case, decide, doc, outcome, root, session, user } from './policy-fixtures.ts';

// "Example identity-based and resource-based policy evaluation" (reference_policies_evaluation-logic_policy-eval-basics).
const carlosPolicy = doc(
  {
    Sid: 'AllowS3ListRead',
    Effect: 'Allow',
    Action: [
      's3:GetBucketLocation',
      's3:GetAccountPublicAccessBlock',
      's3:ListAccessPoints',
      's3:ListAllMyBuckets',
    ],
    Resource: 'arn:aws:s3:::*',
  },
  {
    Sid: 'AllowS3Self',
    Effect: 'Allow',
    Action: 's3:*',
    Resource: [
      'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*',
      'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar',
    ],
  },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
);
const carlosBucketPolicy = doc({
  Sid: 'AllowCarlos',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/carlossalazar` },
  Action: 's3:*',
  Resource: [
    'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*',
    'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar',
  ],
});
const carlos = user('carlossalazar');

describe('policy evaluation: the IAM documentation examples', () => {
  const table: [string, Case, string][] = [
    [
      'Carlos saving to the -logs bucket: DenyS3Logs wins over AllowS3Self',
      {
        principal: carlos,
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/report.txt',
        identity: [carlosPolicy],
      },
      'explicitDeny:identity',
    ],
    [
      'Carlos saving to his own bucket: AllowS3Self and the bucket policy allow',
      {
        principal: carlos,
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/report.txt',
        identity: [carlosPolicy],
        resourcePolicy: carlosBucketPolicy,
      },
      'allowed',
    ],
    [
      'listing every bucket: AllowS3ListRead',
      {
        principal: carlos,
        action: 's3:ListAllMyBuckets',
        resource: 'arn:aws:s3:::any',
        identity: [carlosPolicy],
      },
      'allowed',
    ],
    [
      'an action no statement names: implicit deny',
      {
        principal: carlos,
        action: 's3:DeleteBucket',
        resource: 'arn:aws:s3:::other-bucket',
        identity: [carlosPolicy],
      },
      'implicitDeny:identity',
    ],
    [
      'same account: the resource-based policy alone allows the user it names',
      {
        principal: carlos,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/a',
        resourcePolicy: carlosBucketPolicy,
      },
      'allowed',
    ],
    [
      'same account: a resource policy naming another user does not allow',
      {
        principal: user('maria'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/a',
        resourcePolicy: carlosBucketPolicy,
      },
      'implicitDeny:identity',
    ],
    [
      'an explicit deny in the resource-based policy beats an identity allow',
      {
        action: 'ecr:BatchGetImage',
        resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
        identity: [doc({ Effect: 'Allow', Action: 'ecr:*', Resource: '*' })],
        resourcePolicy: doc({ Effect: 'Deny', Principal: '*', Action: 'ecr:BatchGetImage' }),
      },
      'explicitDeny:resource',
    ],
    [
      'a resource policy naming only the account delegates to IAM: no identity allow, no access',
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'secretsmanager:*',
          Resource: '*',
        }),
      },
      'implicitDeny:identity',
    ],
  ];
  for (const [name, c, expected] of table) it(name, () => assert.equal(outcome(c), expected));
});

// "Permissions boundaries for IAM entities": Shirley may manage only S3, CloudWatch and EC2.
const shirleyBoundary = doc({
  Effect: 'Allow',
  Action: ['s3:*', 'cloudwatch:*', 'ec2:*'],
  Resource: '*',
});
const createUserPolicy = doc({ Sid: 'CreateUser', Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' });

describe('policy evaluation: permissions boundaries', () => {
  const table: [string, Case, string][] = [
    [
      'identity allows iam:CreateUser, the boundary does not: denied',
      {
        principal: user('shirley'),
        action: 'iam:CreateUser',
        resource: '*',
        identity: [createUserPolicy],
        boundary: shirleyBoundary,
      },
      'implicitDeny:boundary',
    ],
    [
      'the boundary allows ec2 but no identity policy does: denied',
      {
        principal: user('shirley'),
        action: 'ec2:DescribeInstances',
        resource: '*',
        boundary: shirleyBoundary,
      },
      'implicitDeny:identity',
    ],
    [
      'both allow: allowed',
      {
        principal: user('shirley'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        identity: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
        boundary: shirleyBoundary,
      },
      'allowed',
    ],
    [
      'an explicit deny in the boundary',
      {
        principal: user('shirley'),
        action: 's3:DeleteBucket',
        resource: 'arn:aws:s3:::b',
        identity: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
        boundary: doc(
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
        ),
      },
      'explicitDeny:boundary',
    ],
    [
      'same account: a resource policy naming the user is not limited by the boundary',
      {
        principal: user('shirley'),
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`,
        boundary: shirleyBoundary,
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/shirley` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        }),
      },
      'allowed',
    ],
    [
      "a resource policy naming the role is limited by the role's boundary",
      {
        principal: session('app', 'task-1'),
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`,
        boundary: shirleyBoundary,
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        }),
      },
      'implicitDeny:boundary',
    ],
    [
      'a resource policy naming the role session is not limited by the boundary',
      {
        principal: session('app', 'task-1'),
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`,
        boundary: shirleyBoundary,
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/task-1` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        }),
      },
      'allowed',
    ],
  ];
  for (const [name, c, expected] of table) it(name, () => assert.equal(outcome(c), expected));
});

describe('policy evaluation: session policies', () => {
  const rolePolicy = doc({ Effect: 'Allow', Action: ['ecs:*', 's3:*'], Resource: '*' });
  const table: [string, Case, string][] = [
    [
      'the session policy intersects the role policy: allowed when both allow',
      {
        principal: session('dev', 's'),
        action: 'ecs:ListClusters',
        resource: '*',
        identity: [rolePolicy],
        session: [doc({ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' })],
      },
      'allowed',
    ],
    [
      'the role allows, the session policy does not',
      {
        principal: session('dev', 's'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        identity: [rolePolicy],
        session: [doc({ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' })],
      },
      'implicitDeny:session',
    ],
    [
      'the session policy allows, the role does not: a session policy never grants',
      {
        principal: session('dev', 's'),
        action: 'iam:ListUsers',
        resource: '*',
        identity: [rolePolicy],
        session: [doc({ Effect: 'Allow', Action: '*', Resource: '*' })],
      },
      'implicitDeny:identity',
    ],
    [
      'an explicit deny in the session policy',
      {
        principal: session('dev', 's'),
        action: 'ecs:RunTask',
        resource: '*',
        identity: [rolePolicy],
        session: [
          doc(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Deny', Action: 'ecs:RunTask', Resource: '*' },
          ),
        ],
      },
      'explicitDeny:session',
    ],
  ];
  for (const [name, c, expected] of table) it(name, () => assert.equal(outcome(c), expected));
});

describe('policy evaluation: cross-account requests need both sides', () => {
  const other = '444455556666';
  const repo = `arn:aws:ecr:us-east-1:${other}:repository/shared`;
  const identity = [doc({ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' })];
  it("identity allows, the other account's resource policy is silent: denied", () => {
    assert.equal(
      outcome({ action: 'ecr:BatchGetImage', resource: repo, identity, resourceAccount: other }),
      'implicitDeny:resource',
    );
  });
  it("both allow (the resource policy naming the caller's account): allowed", () => {
    const resourcePolicy = doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'ecr:BatchGetImage' });
    assert.equal(
      outcome({
        action: 'ecr:BatchGetImage',
        resource: repo,
        identity,
        resourcePolicy,
        resourceAccount: other,
      }),
      'allowed',
    );
  });
  it('the resource policy allows, the identity side does not: denied', () => {
    const resourcePolicy = doc({ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' });
    assert.equal(
      outcome({ action: 'ecr:BatchGetImage', resource: repo, resourcePolicy, resourceAccount: other }),
      'implicitDeny:identity',
    );
  });
});

describe('policy evaluation: Action, NotAction, Resource, NotResource', () => {
  const table: [string, Case, string][] = [
    [
      'action names are case-insensitive',
      {
        action: 'ecs:RunTask',
        resource: '*',
        identity: [doc({ Effect: 'Allow', Action: 'ECS:runtask', Resource: '*' })],
      },
      'allowed',
    ],
    [
      '`*` in an action',
      {
        action: 'ecs:DescribeTasks',
        resource: '*',
        identity: [doc({ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' })],
      },
      'allowed',
    ],
    [
      '`?` matches one character',
      {
        action: 'ecs:ListTasks',
        resource: '*',
        identity: [doc({ Effect: 'Allow', Action: 'ecs:List?asks', Resource: '*' })],
      },
      'allowed',
    ],
    [
      '`?` matches exactly one',
      {
        action: 'ecs:ListTasks',
        resource: '*',
        identity: [doc({ Effect: 'Allow', Action: 'ecs:List?', Resource: '*' })],
      },
      'implicitDeny:identity',
    ],
    // "NotAction with Allow": everything but IAM.
    [
      'NotAction with Allow allows the rest',
      {
        action: 'ecs:RunTask',
        resource: '*',
        identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
      },
      'allowed',
    ],
    [
      'NotAction with Allow does not allow what it names',
      {
        action: 'iam:CreateUser',
        resource: '*',
        identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
      },
      'implicitDeny:identity',
    ],
    [
      'NotAction with Deny denies everything but what it names',
      {
        action: 'ecs:RunTask',
        resource: '*',
        identity: [
          doc(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*' },
          ),
        ],
      },
      'explicitDeny:identity',
    ],
    [
      'resources are case-sensitive',
      {
        action: 'ecs:DescribeClusters',
        resource: 'arn:aws:ecs:us-east-1:111122223333:cluster/Prod',
        identity: [
          doc({
            Effect: 'Allow',
            Action: 'ecs:*',
            Resource: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
          }),
        ],
      },
      'implicitDeny:identity',
    ],
    [
      'resource wildcards span slashes',
      {
        action: 'ecs:StopTask',
        resource: 'arn:aws:ecs:us-east-1:111122223333:task/prod/abc',
        identity: [doc({ Effect: 'Allow', Action: 'ecs:StopTask', Resource: 'arn:aws:ecs:*:*:task/prod/*' })],
      },
      'allowed',
    ],
    [
      'another account in the ARN does not match',
      {
        action: 'ecs:StopTask',
        resource: 'arn:aws:ecs:us-east-1:111122223333:task/prod/abc',
        identity: [
          doc({ Effect: 'Allow', Action: 'ecs:StopTask', Resource: 'arn:aws:ecs:*:444455556666:task/*' }),
        ],
      },
      'implicitDeny:identity',
    ],
    [
      'an action without resource-level permissions needs Resource "*"',
      {
        action: 'ecs:ListClusters',
        resource: '*',
        identity: [
          doc({ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: 'arn:aws:ecs:*:*:cluster/*' }),
        ],
      },
      'implicitDeny:identity',
    ],
    [
      'NotResource with Deny',
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::other/k',
        identity: [
          doc(
            { Effect: 'Allow', Action: 's3:*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 's3:*',
              NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
            },
          ),
        ],
      },
      'explicitDeny:identity',
    ],
    [
      'a single Statement object',
      {
        action: 'ecs:ListClusters',
        resource: '*',
        identity: [
          {
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' },
          },
        ],
      },
      'allowed',
    ],
    [
      'root is allowed without policies',
      { principal: root, action: 'iam:DeleteUser', resource: '*' },
      'allowed',
    ],
  ];
  for (const [name, c, expected] of table) it(name, () => assert.equal(outcome(c), expected));
});

describe('policy evaluation: policy variables', () => {
  const own = doc({
    Effect: 'Allow',
    Action: 's3:*',
    Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*',
  });
  it('${aws:username} in Resource', () => {
    assert.equal(
      outcome({
        principal: user('david'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/david/a',
        identity: [own],
      }),
      'allowed',
    );
    assert.equal(
      outcome({
        principal: user('david'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/maria/a',
        identity: [own],
      }),
      'implicitDeny:identity',
    );
  });
  it('a variable the request lacks (a role has no aws:username) matches nothing', () => {
    assert.equal(
      outcome({
        principal: session('r', 's'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket//a',
        identity: [own],
      }),
      'implicitDeny:identity',
    );
  });
  it("a default value: ${aws:PrincipalTag/team, 'company-wide'}", () => {
    const p = doc({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'company-wide'}/*",
    });
    assert.equal(
      outcome({
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/company-wide/x',
        identity: [p],
      }),
      'allowed',
    );
    assert.equal(
      outcome({
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/red/x',
        identity: [p],
        tags: { team: 'red' },
      }),
      'allowed',
    );
    assert.equal(
      outcome({
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/company-wide/x',
        identity: [p],
        tags: { team: 'red' },
      }),
      'implicitDeny:identity',
    );
  });
  it('Version 2008-10-17 takes ${...} literally', () => {
    const p = {
      Version: '2008-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}/*' }],
    };
    assert.equal(
      outcome({
        principal: user('david'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/david/a',
        identity: [p],
      }),
      'implicitDeny:identity',
    );
    assert.equal(
      outcome({
        principal: user('david'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/${aws:username}/a',
        identity: [p],
      }),
      'allowed',
    );
  });
  it('${aws:userid} and ${aws:PrincipalTag/x} in a condition value', () => {
    const p = doc({
      Effect: 'Allow',
      Action: 'ecs:TagResource',
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:RequestTag/owner': '${aws:userid}',
          'aws:RequestTag/team': '${aws:PrincipalTag/team}',
        },
      },
    });
    const alice = user('alice');
    assert.equal(
      outcome({
        principal: alice,
        action: 'ecs:TagResource',
        resource: '*',
        identity: [p],
        tags: { team: 'red' },
        context: { 'aws:RequestTag/owner': alice.userId, 'aws:RequestTag/team': 'red' },
      }),
      'allowed',
    );
    assert.equal(
      outcome({
        principal: alice,
        action: 'ecs:TagResource',
        resource: '*',
        identity: [p],
        tags: { team: 'red' },
        context: { 'aws:RequestTag/owner': 'someone', 'aws:RequestTag/team': 'red' },
      }),
      'implicitDeny:identity',
    );
  });
});

describe('policy evaluation: what a decision carries', () => {
  it('an explicit deny lists the deny statements with their policy and Sid', () => {
    const d = decide({
      principal: carlos,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::x-logs/a',
      identity: [carlosPolicy],
    });
    assert.equal(d.type, 'explicitDeny');
    assert.deepEqual(
      d.statements.map((s) => [s.source, s.sid, s.effect, s.index]),
      [['policy-0', 'DenyS3Logs', 'Deny', 2]],
    );
  });
  it('an allow lists the statements that granted it', () => {
    const d = decide({
      principal: carlos,
      action: 's3:ListAllMyBuckets',
      resource: 'arn:aws:s3:::b',
      identity: [carlosPolicy],
    });
    assert.deepEqual(
      d.statements.map((s) => s.sid),
      ['AllowS3ListRead'],
    );
  });
  it("AWS's messages", () => {
    const p = user('x', '123456789012');
    const resource = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
    assert.equal(
      deniedMessage(p, 'ecs:RunTask', resource, {
        type: 'implicitDeny',
        missing: 'identity',
        statements: [],
      }),
      'User: arn:aws:iam::123456789012:user/x is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 because no identity-based policy allows the ecs:RunTask action',
    );
    assert.equal(
      deniedMessage(p, 'ecs:RunTask', resource, {
        type: 'explicitDeny',
        policyType: 'identity',
        statements: [],
      }),
      'User: arn:aws:iam::123456789012:user/x is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 with an explicit deny in an identity-based policy',
    );
    assert.match(
      deniedMessage(p, 'ecs:RunTask', resource, {
        type: 'implicitDeny',
        missing: 'boundary',
        statements: [],
      }),
      /because no permissions boundary allows the ecs:RunTask action$/,
    );
  });
});
