/**
 * Condition operators, as IAM's "Condition operators" and "Multivalued context keys" pages
 * describe them with their own examples: each family, ...IfExists, missing keys, negated
 * operators, ForAllValues / ForAnyValue, and several keys and values in one block.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnMatcher } from '../../src/iam/policy/wildcard.ts';
import { type Case, doc, NOW, outcome, session, user } from './policy-fixtures.ts';

/** Allowed when `condition` holds for `context`. */
const holds = (
  condition: Record<string, unknown>,
  context: Case['context'] = {},
  extra: Partial<Case> = {},
): boolean =>
  outcome({
    action: 'ecs:RunTask',
    resource: '*',
    identity: [doc({ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*', Condition: condition })],
    context,
    ...extra,
  }) === 'allowed';

describe('condition operators: strings', () => {
  it('StringEquals is case-sensitive; StringEqualsIgnoreCase is not', () => {
    const c = { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };
    assert.equal(holds(c, {}, { tags: { 'job-category': 'iamuser-admin' } }), true);
    assert.equal(holds(c, {}, { tags: { 'job-category': 'IAMUser-Admin' } }), false);
    const i = { StringEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };
    assert.equal(holds(i, {}, { tags: { 'job-category': 'IAMUser-Admin' } }), true);
  });
  it('condition key names are case-insensitive', () => {
    assert.equal(
      holds(
        { StringEquals: { 'AWS:PRINCIPALTAG/Job-Category': 'a' } },
        {},
        { tags: { 'job-category': 'a' } },
      ),
      true,
    );
  });
  it('StringLike with wildcards and a policy variable (s3:prefix, the home-folder example)', () => {
    const c = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } };
    const as = (prefix: string) => holds(c, { 's3:prefix': prefix }, { principal: user('david') });
    assert.equal(as('home/david/'), true);
    assert.equal(as(''), true);
    assert.equal(as('home/maria/'), false);
    assert.equal(
      holds(
        { StringLike: { 'ecs:cluster': 'arn:aws:ecs:*:*:cluster/prod-*' } },
        { 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/prod-eu' },
      ),
      true,
    );
  });
  it('a missing key fails StringEquals and satisfies StringNotEquals', () => {
    assert.equal(holds({ StringEquals: { 'ecs:cluster': 'x' } }), false);
    assert.equal(holds({ StringNotEquals: { 'ecs:cluster': 'x' } }), true);
    assert.equal(holds({ StringNotLike: { 'ecs:cluster': 'x*' } }, { 'ecs:cluster': 'xyz' }), false);
  });
  it('several values are OR, several keys are AND (the department / role example)', () => {
    const c = {
      StringEquals: {
        'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
        'aws:PrincipalTag/role': ['audit', 'security'],
      },
    };
    assert.equal(holds(c, {}, { tags: { department: 'hr', role: 'audit' } }), true);
    assert.equal(holds(c, {}, { tags: { department: 'hr', role: 'developer' } }), false);
    assert.equal(holds(c, {}, { tags: { department: 'sales', role: 'audit' } }), false);
  });
  it('StringNotEquals with several values: none may match', () => {
    const c = { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } };
    assert.equal(holds(c), false); // the fixture's region is us-east-1
    assert.equal(holds({ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'ap-south-1'] } }), true);
  });
});

describe('condition operators: numbers, dates, booleans, binary, addresses, ARNs', () => {
  it('Numeric* (s3:max-keys <= 10)', () => {
    const c = { NumericLessThanEquals: { 's3:max-keys': '10' } };
    assert.equal(holds(c, { 's3:max-keys': '10' }), true);
    assert.equal(holds(c, { 's3:max-keys': '11' }), false);
    assert.equal(holds(c, { 's3:max-keys': 'ten' }), false);
    assert.equal(holds({ NumericNotEquals: { n: 3 } }, { n: '4' }), true);
    assert.equal(holds({ NumericGreaterThan: { n: '2.5' } }, { n: '3' }), true);
  });
  it('Date* with aws:CurrentTime and aws:EpochTime (ISO 8601 and epoch seconds)', () => {
    assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' } }), true);
    assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' } }), false);
    assert.equal(holds({ DateGreaterThanEquals: { 'aws:EpochTime': String(NOW / 1000) } }), true);
    assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': String(NOW / 1000 + 1) } }), true);
    assert.equal(holds({ DateEquals: { 'aws:CurrentTime': '2024-06-01T12:00:00Z' } }), true);
  });
  it('Bool: deny when not over TLS (aws:SecureTransport false)', () => {
    const p = doc(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    assert.equal(
      outcome({
        action: 'ecs:ListTasks',
        resource: '*',
        identity: [p],
        context: { 'aws:SecureTransport': 'false' },
      }),
      'explicitDeny:identity',
    );
    assert.equal(
      outcome({
        action: 'ecs:ListTasks',
        resource: '*',
        identity: [p],
        context: { 'aws:SecureTransport': 'true' },
      }),
      'allowed',
    );
    assert.equal(holds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'TRUE' }), true);
  });
  it('BinaryEquals compares base64 values', () => {
    assert.equal(
      holds(
        { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } },
        { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' },
      ),
      true,
    );
    assert.equal(holds({ BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, { key: 'AAAA' }), false);
  });
  it('IpAddress / NotIpAddress with IPv4 and IPv6 blocks (the documentation example)', () => {
    const c = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
    assert.equal(holds(c, { 'aws:SourceIp': '203.0.113.7' }), true);
    assert.equal(holds(c, { 'aws:SourceIp': '203.0.114.7' }), false);
    assert.equal(holds(c, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' }), true);
    assert.equal(holds(c, { 'aws:SourceIp': '2001:db8:1234:5679::1' }), false);
    assert.equal(
      holds({ NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, { 'aws:SourceIp': '192.0.2.9' }),
      false,
    );
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.1' } }, { 'aws:SourceIp': '10.0.0.1' }), true);
  });
  it('ArnLike / ArnNotEquals, each of the six parts matched apart', () => {
    const c = { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:TOPIC-ID' } };
    assert.equal(holds(c, { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' }), true);
    assert.equal(holds(c, { 'aws:SourceArn': 'arn:aws:sns:us-west-2:999999999999:TOPIC-ID' }), false);
    assert.equal(
      holds({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/alice' } }),
      false,
    );
    assert.equal(arnMatcher('arn:aws:*:us-east-1:1:x')('arn:aws:ecs:foo:us-east-1:1:x'), false);
    assert.equal(arnMatcher('arn:aws:ecs:*:*:task/*')('arn:aws:ecs:us-east-1:1:task/c/id'), true);
  });
  it('Null: true when the key is absent (aws:TokenIssueTime for long-term keys)', () => {
    assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'true' } }), true);
    assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'false' } }), false);
    assert.equal(holds({ Null: { 'aws:username': 'false' } }), true);
    assert.equal(holds({ Null: { 'aws:username': 'false' } }, {}, { principal: session('r', 's') }), false);
  });
});

describe('condition operators: ...IfExists', () => {
  // "StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}
  const c = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
  it('a missing key matches', () => assert.equal(holds(c), true));
  it('a present key must match', () => {
    assert.equal(holds(c, { 'ec2:InstanceType': 't2.micro' }), true);
    assert.equal(holds(c, { 'ec2:InstanceType': 'c5.large' }), false);
  });
});

describe('condition operators: multivalued keys and set operators', () => {
  it('ForAllValues:StringEquals aws:TagKeys: every key must be allowed; no keys at all passes', () => {
    const c = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } };
    assert.equal(holds(c, { 'aws:TagKeys': ['environment'] }), true);
    assert.equal(holds(c, { 'aws:TagKeys': ['environment', 'cost-center'] }), true);
    assert.equal(holds(c, { 'aws:TagKeys': ['environment', 'owner'] }), false);
    assert.equal(holds(c, {}), true);
    assert.equal(holds(c, { 'aws:TagKeys': [] }), true);
  });
  it('ForAnyValue:StringEquals: at least one; a missing key fails', () => {
    const c = { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } };
    assert.equal(holds(c, { 'dynamodb:Attributes': ['ID', 'Message'] }), true);
    assert.equal(holds(c, { 'dynamodb:Attributes': ['Message'] }), false);
    assert.equal(holds(c, {}), false);
  });
  it('ForAllValues with a negated operator: no value may be listed', () => {
    const c = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } };
    assert.equal(holds(c, { 'aws:TagKeys': ['a', 'b'] }), true);
    assert.equal(holds(c, { 'aws:TagKeys': ['a', 'secret'] }), false);
  });
  it('ForAnyValue with a negated operator: one value outside the list is enough', () => {
    const c = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } };
    assert.equal(holds(c, { 'aws:TagKeys': ['a', 'b'] }), true);
    assert.equal(holds(c, { 'aws:TagKeys': ['a'] }), false);
  });
  it('a plain operator on a multivalued key matches when any value does', () => {
    assert.equal(
      holds(
        { StringLike: { 'ecs:container-instances': '*/prod/*' } },
        { 'ecs:container-instances': ['arn:x/dev/1', 'arn:x/prod/2'] },
      ),
      true,
    );
  });
});

describe('condition operators: global keys the gateway fills in', () => {
  it('aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:RequestedRegion', () => {
    const alice = user('alice');
    assert.equal(holds({ ArnEquals: { 'aws:PrincipalArn': alice.arn } }, {}, { principal: alice }), true);
    assert.equal(
      holds(
        {
          StringEquals: {
            'aws:PrincipalAccount': '111122223333',
            'aws:PrincipalType': 'User',
            'aws:userid': alice.userId,
            'aws:RequestedRegion': 'us-east-1',
          },
        },
        {},
        { principal: alice },
      ),
      true,
    );
    const s = session('deploy', 'ci');
    assert.equal(
      holds(
        {
          ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/deploy' },
          StringEquals: { 'aws:PrincipalType': 'AssumedRole' },
        },
        {},
        { principal: s },
      ),
      true,
    );
  });
  it('an unknown operator never matches (validation refuses it before it is stored)', () => {
    assert.equal(holds({ StringEqualz: { 'ecs:cluster': 'x' } }, { 'ecs:cluster': 'x' }), false);
  });
});
