/** Cluster query language: what each operator selects, on every subject, and ListContainerInstances' filter. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery, filterInstances } from '../../src/scheduler/index.ts';
import { instance, task } from './fixtures.ts';

/** t2.micro in us-east-1a, agent 1.14.3, registered 2018-02-12T10:00Z, one task of service:web. */
const subject = instance(1, {
  ec2InstanceId: 'i-abcd1234',
  agentVersion: '1.14.3',
  registeredAt: Date.UTC(2018, 1, 12, 10, 0, 0),
  az: 'us-east-1a',
  instanceType: 't2.micro',
  attributes: {
    stack: 'prod',
    'com.amazonaws.ecs.capability.logging-driver.awslogs': undefined,
    cores: '10',
    version: '1.10.0',
  },
  tasks: [
    task({ group: 'service:web' }),
    task({ group: 'service:old', desiredStatus: 'STOPPED', lastStatus: 'STOPPED' }),
  ],
});

describe('query evaluation', () => {
  const cases: [string, boolean][] = [
    // == and != on strings, with `*` wildcards
    ['attribute:ecs.instance-type == t2.micro', true],
    ['attribute:ecs.instance-type == t2.small', false],
    ['attribute:ecs.instance-type == t2.*', true],
    ['attribute:ecs.instance-type == *.micro', true],
    ['attribute:ecs.instance-type == t3.*', false],
    ['attribute:ecs.instance-type == t2', false],
    ['attribute:ecs.instance-type != t2.small', true],
    ['attribute:ecs.instance-type != t2.*', false],
    ['attribute:cores == 10.0', false],
    // a missing attribute satisfies nothing but !exists (the docs' "stack != prod" lists only instances with stack)
    ['attribute:missing == x', false],
    ['attribute:missing != x', false],
    ['attribute:missing in [x]', false],
    ['attribute:missing !in [x]', false],
    ['attribute:missing =~ .*', false],
    ['attribute:missing !~ x', false],
    ['attribute:missing > 1', false],
    ['attribute:missing exists', false],
    ['attribute:missing !exists', true],
    ['not(attribute:missing == x)', true],
    // name-only attributes (capabilities) exist without a value
    ['attribute:com.amazonaws.ecs.capability.logging-driver.awslogs exists', true],
    ['attribute:com.amazonaws.ecs.capability.logging-driver.awslogs == x', false],
    ['attribute:com.amazonaws.ecs.capability.logging-driver.awslogs != x', true],
    // ordering on attributes: numbers as numbers, versions as versions
    ['attribute:cores > 9', true],
    ['attribute:cores >= 10', true],
    ['attribute:cores < 10', false],
    ['attribute:cores <= 10', true],
    ['attribute:version > 1.9.2', true],
    ['attribute:stack > pre', true],
    // in / not in
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true],
    ['attribute:ecs.availability-zone in [us-east-1c]', false],
    ['attribute:ecs.availability-zone not in [us-east-1c]', true],
    ['attribute:ecs.availability-zone !in [us-east-1*]', false],
    // =~ / !~ are whole-value Java-style matches
    ['attribute:ecs.instance-type =~ t2.*', true],
    ['attribute:ecs.instance-type =~ t2', false],
    ["attribute:ecs.instance-type =~ '(t2|m5)\\.micro'", true],
    ['attribute:ecs.instance-type !~ g2.*', true],
    // built-in fields
    ['ec2InstanceId == i-abcd1234', true],
    ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true],
    ['ec2InstanceId =~ i-abcd.*', true],
    ['agentConnected == true', true],
    ['agentConnected != true', false],
    ['agentVersion < 1.14.5', true],
    ['agentVersion >= 1.14.3', true],
    ['agentVersion == 1.14.3', true],
    ['agentVersion > 1.9', true],
    ['registeredAt < 2018-02-13', true],
    ['registeredAt == 2018-02-12', true],
    ['registeredAt <= 2018-02-12', true],
    ['registeredAt < 2018-02-12', false],
    ['registeredAt > 2018-02-12T09:59:59Z', true],
    ['registeredAt == 2018-02-12T10:00:00', true],
    ['registeredAt == 2018-02-12T11:00:00+01:00', true],
    ['registeredAt < 2018-02-12T10:00:00-01:00', true],
    ['runningTasksCount == 1', true],
    ['runningTasksCount > 1', false],
    ['runningTasksCount <= 2', true],
    // task:group: "runs a task of the group" (stopped tasks do not count)
    ['task:group == service:web', true],
    ['task:group == service:old', false],
    ['task:group == service:*', true],
    ['task:group != service:web', false],
    ['task:group != database', true],
    ['not(task:group == database)', true],
    ['task:group in [database, service:web]', true],
    ['task:group =~ service:.*', true],
    ['task:group !~ service:.*', false],
    // compound
    ['attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d', true],
    ['attribute:ecs.instance-type =~ g2.* or attribute:stack == prod', true],
    ['attribute:ecs.instance-type =~ g2.* || attribute:stack == prod && attribute:missing exists', false],
    ['(attribute:ecs.instance-type =~ g2.* || attribute:stack == prod) && !attribute:missing exists', true],
  ];
  for (const [source, expected] of cases) {
    it(`${source} -> ${expected}`, () => assert.equal(compileQuery(source).matches(subject), expected));
  }
});

describe('query: static vs dynamic', () => {
  it('marks expressions reading task:group or runningTasksCount as dynamic', () => {
    assert.equal(compileQuery('attribute:a == b and ec2InstanceId == i-1').dynamic, false);
    assert.equal(compileQuery('attribute:a == b and not(task:group == db)').dynamic, true);
    assert.equal(compileQuery('runningTasksCount < 3').dynamic, true);
  });

  it('compiles each source once (the same object comes back)', () => {
    assert.equal(compileQuery('attribute:a exists'), compileQuery('attribute:a exists'));
  });
});

describe('filterInstances (ListContainerInstances filter)', () => {
  const fleet = [
    instance(1, { instanceType: 't2.small', az: 'us-east-1a', attributes: { stack: 'prod' } }),
    instance(2, { instanceType: 't2.medium', az: 'us-east-1b', attributes: { stack: 'dev' } }),
    instance(3, { instanceType: 'g2.2xlarge', az: 'us-east-1a' }),
  ];
  const ids = (expression: string) =>
    filterInstances(fleet, expression).map((i) => Number.parseInt(i.id, 16));

  it('selects by built-in attribute', () =>
    assert.deepEqual(ids('attribute:ecs.instance-type == g2.2xlarge'), [3]));
  it('selects by custom attribute', () => assert.deepEqual(ids('attribute:stack == prod'), [1]));
  it('excludes a value but keeps only instances with the attribute', () =>
    assert.deepEqual(ids('attribute:stack != prod'), [2]));
  it('selects from a list', () =>
    assert.deepEqual(ids('attribute:ecs.instance-type in [t2.small, t2.medium]'), [1, 2]));
  it('combines conditions', () =>
    assert.deepEqual(
      ids('attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a'),
      [1],
    ));
});
