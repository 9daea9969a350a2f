/**
 * EventBridge's event-pattern language, on the examples of the EventBridge user guide (event
 * patterns, content filtering, arrays, null and empty values, $or), and the patterns it refuses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern, PatternError } from '../../src/events/pattern/compile-pattern.ts';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const match = (pattern: unknown, event: unknown) => compilePattern(pattern).matches(event);

describe('event patterns: matching', () => {
  it('matches fields with AND across keys and OR inside a value list', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    assert.equal(match(pattern, ec2Event), true);
    assert.equal(match({ ...pattern, detail: { state: ['running'] } }, ec2Event), false);
    assert.equal(match({ detail: { state: ['running', 'terminated'] } }, ec2Event), true);
    assert.equal(match({ detail: { nope: ['x'] } }, ec2Event), false, 'a missing field does not match');
  });

  it('matches an array in the event when it intersects the pattern list', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    assert.equal(match(pattern, event), true);
    assert.equal(match(pattern, { resources: [] }), false);
  });

  it('tells empty strings and null apart', () => {
    const event = { detail: { eventVersion: '', responseElements: null } };
    assert.equal(match({ detail: { eventVersion: [''] } }, event), true);
    assert.equal(match({ detail: { responseElements: [null] } }, event), true);
    assert.equal(match({ detail: { responseElements: [''] } }, event), false);
  });

  it('prefix, suffix and equals-ignore-case', () => {
    assert.equal(match({ time: [{ prefix: '2017-12-22' }] }, ec2Event), true);
    assert.equal(match({ time: [{ prefix: '2017-10-02' }] }, ec2Event), false);
    const svc = (service: string) => ({ detail: { service } });
    const ignoreCasePrefix = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    assert.equal(match(ignoreCasePrefix, svc('eventbridge')), true);
    assert.equal(match(ignoreCasePrefix, svc('EVENTBRIDGE')), true);
    assert.equal(match(ignoreCasePrefix, svc('lambda')), false);
    assert.equal(match({ FileName: [{ suffix: '.png' }] }, { FileName: 'photo.png' }), true);
    assert.equal(match({ FileName: [{ suffix: '.png' }] }, { FileName: 'photo.PNG' }), false);
    assert.equal(
      match({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'photo.PNG' }),
      true,
    );
    assert.equal(match({ name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' }), true);
  });

  it('anything-but: values, lists, prefix, suffix, ignore case and wildcard', () => {
    const state = (s: unknown) => ({ detail: { state: s } });
    assert.equal(match({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('running')), true);
    assert.equal(
      match({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('initializing')),
      false,
    );
    assert.equal(
      match({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 124 } }),
      true,
    );
    assert.equal(
      match({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 123 } }),
      false,
    );
    const list = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    assert.equal(match(list, state('running')), true);
    assert.equal(match(list, state('overloaded')), false);
    assert.equal(
      match({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('initializing')),
      false,
    );
    assert.equal(
      match({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('running')),
      true,
    );
    assert.equal(
      match({ FileName: [{ 'anything-but': { suffix: '.txt' } }] }, { FileName: 'notes.txt' }),
      false,
    );
    assert.equal(
      match(
        { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
        state('INITIALIZING'),
      ),
      false,
    );
    assert.equal(
      match({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: 'a/lib/b' }),
      false,
    );
    assert.equal(
      match({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: 'a/bin/b' }),
      true,
    );
    assert.equal(
      match({ detail: { state: [{ 'anything-but': 'x' }] } }, { detail: {} }),
      false,
      'needs the field',
    );
  });

  it('numeric ranges compare numbers only', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    assert.equal(match(pattern, { detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 } }), true);
    assert.equal(match(pattern, { detail: { 'c-count': 0, 'd-count': 3, 'x-limit': 301.8 } }), false);
    assert.equal(match(pattern, { detail: { 'c-count': '5', 'd-count': 3, 'x-limit': 301.8 } }), false);
    assert.equal(match({ n: [300] }, { n: 3e2 }), true, 'exact numbers compare numerically');
  });

  it('exists true and false', () => {
    assert.equal(match({ detail: { state: [{ exists: true }] } }, ec2Event), true);
    assert.equal(match({ detail: { state: [{ exists: false }] } }, ec2Event), false);
    assert.equal(match({ detail: { missing: [{ exists: false }] } }, ec2Event), true);
    assert.equal(match({ detail: { missing: [{ exists: true }] } }, ec2Event), false);
  });

  it('cidr for IPv4 and IPv6 addresses', () => {
    assert.equal(
      match(
        { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        { detail: { sourceIPAddress: '10.0.0.255' } },
      ),
      true,
    );
    assert.equal(
      match(
        { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        { detail: { sourceIPAddress: '10.0.1.0' } },
      ),
      false,
    );
    const v6 = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
    assert.equal(match(v6, { detail: { sourceIPAddress: '2001:0db8:1234::1' } }), true);
    assert.equal(match(v6, { detail: { sourceIPAddress: '2001:db9::1' } }), false);
  });

  it('wildcards, with escapes', () => {
    const p = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    assert.equal(match(p, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }), true);
    assert.equal(match(p, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }), false);
    assert.equal(match({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }), true);
    assert.equal(match({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' }), false);
  });

  it('$or alternatives', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    assert.equal(match(pattern, { detail: { 'd-count': 3 } }), true);
    assert.equal(match(pattern, { detail: { 'c-count': 50, 'd-count': 30 } }), false);
    const top = {
      source: ['aws.ecs'],
      $or: [{ 'detail-type': ['ECS Task State Change'] }, { detail: { lastStatus: ['STOPPED'] } }],
    };
    assert.equal(match(top, { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} }), true);
    assert.equal(
      match(top, { source: 'aws.ecs', 'detail-type': 'other', detail: { lastStatus: 'RUNNING' } }),
      false,
    );
  });

  it("the seeds' stopped-task interception pattern", () => {
    const pattern = {
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: { lastStatus: ['STOPPED'], stoppedReason: [{ prefix: 'Essential container' }] },
    };
    const task = (stoppedReason: string) => ({
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      detail: { lastStatus: 'STOPPED', stoppedReason, containers: [{ name: 'web', exitCode: 1 }] },
    });
    assert.equal(match(pattern, task('Essential container in task exited')), true);
    assert.equal(match(pattern, task('Task stopped by user')), false);
    assert.equal(match({ detail: { containers: { exitCode: [1] } } }, task('x')), true, 'objects in arrays');
    assert.deepEqual(compilePattern(pattern).sources, ['aws.ecs']);
  });
});

describe('event patterns: refused', () => {
  const refused = (pattern: unknown, reason: RegExp) =>
    assert.throws(
      () => compilePattern(pattern),
      (e: Error) => e instanceof PatternError && reason.test(e.message),
    );
  it('answers InvalidEventPatternException with the reason', () => {
    refused('{not json', /not valid JSON/);
    refused([], /not an object/);
    refused({}, /Empty pattern/);
    refused({ source: 'aws.ecs' }, /must be an object or an array/);
    refused({ source: [] }, /Empty arrays/);
    refused({ source: [{ regex: 'x' }] }, /Unrecognized match type regex/);
    refused({ n: [{ numeric: ['>', 'a'] }] }, /must be numeric/);
    refused({ n: [{ numeric: ['~', 1] }] }, /Unrecognized numeric range operator/);
    refused({ n: [{ exists: 'yes' }] }, /exists match pattern must be either true or false/);
    refused({ $or: [{ a: ['x'] }] }, /\$or must be an array of at least two patterns/);
    refused({ f: [{ wildcard: 'a**b' }] }, /Consecutive wildcard/);
    refused({ ip: [{ cidr: '10.0.0.0/33' }] }, /Nonstandard IP address/);
    refused({ s: [{ 'anything-but': [true] }] }, /Inside anything but list/);
    refused({ s: [{ prefix: 5 }] }, /prefix match pattern must be a string/);
  });
});
