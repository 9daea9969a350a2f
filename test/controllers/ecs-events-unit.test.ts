/** The pure parts of ECS's events: task steps and folding, deployment transitions, service actions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentEvents } from '../../src/controllers/ecs-events/deployment-events.ts';
import { placementReason, serviceActions } from '../../src/controllers/ecs-events/service-actions.ts';
import { newEvents, serviceStep } from '../../src/controllers/ecs-events/service-step.ts';
import { taskStep } from '../../src/controllers/ecs-events/task-events.ts';
import { throttleMessage } from '../../src/controllers/service/launch-throttle.ts';
import { messages } from '../../src/controllers/service/service-events.ts';
import type { ServiceRecord, TaskRecord } from '../../src/ecs/model/records.ts';
import { FARGATE_CAPACITY_UNAVAILABLE } from '../../src/ecs/model/fargate/fargate-placement.ts';
import { rollbackReason, BREAKER_FAILED_REASON } from '../../src/ecs/model/services/circuit-breaker.ts';
import type { WireDeployment } from '../../src/ecs/model/services/deployments.ts';
import { Reason } from '../../src/scheduler/index.ts';

const partition = { region: 'us-east-1', accountId: '000000000000' };
const TASK_ARN = 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef';
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:000000000000:service/c/web';
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/c';

function task(version: number, lastStatus: string, extra: object = {}): TaskRecord {
  return {
    clusterName: 'c',
    assignmentVersion: 1,
    reportSeq: 0,
    task: {
      taskArn: TASK_ARN,
      clusterArn: CLUSTER_ARN,
      lastStatus,
      desiredStatus: 'RUNNING',
      version,
      createdAt: 1579802254.402,
      tags: [{ key: 'k', value: 'v' }],
      containers: [
        {
          name: 'app',
          lastStatus,
          managedAgents: [{ name: 'ExecuteCommandAgent', lastStartedAt: 1579802255 }],
        },
      ],
      ...extra,
    },
  };
}

describe('ECS Task State Change steps', () => {
  it('emits the task as DescribeTasks shows it, with ISO times, updatedAt and version', () => {
    const now = Date.UTC(2020, 0, 23, 17, 57, 58, 103);
    const step = taskStep(task(3, 'RUNNING', { startedAt: 1579802278.103 }), undefined, now);
    assert.ok(step?.entry);
    assert.deepEqual(step.cursor, { version: 3, lastStatus: 'RUNNING' });
    const { detail } = step.entry;
    assert.equal(step.entry.source, 'aws.ecs');
    assert.equal(step.entry.detailType, 'ECS Task State Change');
    assert.deepEqual(step.entry.resources, [TASK_ARN]);
    assert.equal(detail.createdAt, '2020-01-23T17:57:34.402Z');
    assert.equal(detail.startedAt, '2020-01-23T17:57:58.103Z');
    assert.equal(detail.updatedAt, '2020-01-23T17:57:58.103Z');
    assert.equal(detail.version, 3);
    assert.equal(detail.tags, undefined, 'DescribeTasks shows no tags unless asked');
    const [container] = detail.containers as { managedAgents: { lastStartedAt: unknown }[] }[];
    assert.equal(container.managedAgents[0].lastStartedAt, '2020-01-23T17:57:35.000Z');
  });

  it('does nothing for a version already told, folds skipped versions, and tells a stop once', () => {
    assert.equal(taskStep(task(2, 'PENDING'), { version: 2, lastStatus: 'PENDING' }, 0), undefined);
    const folded = taskStep(task(5, 'RUNNING'), { version: 2, lastStatus: 'PENDING' }, 0);
    assert.equal(folded?.entry?.detail.version, 5);
    const stopped = taskStep(task(6, 'STOPPED'), { version: 5, lastStatus: 'RUNNING' }, 0);
    assert.equal(stopped?.entry?.detail.lastStatus, 'STOPPED');
    const late = taskStep(task(7, 'STOPPED'), { version: 6, lastStatus: 'STOPPED' }, 0);
    assert.deepEqual(late, { cursor: { version: 7, lastStatus: 'STOPPED' } });
  });
});

describe('ECS Deployment State Change', () => {
  const d = (
    id: string,
    status: string,
    rolloutState: string,
    rolloutStateReason: string,
    updatedAt: number,
  ): WireDeployment => ({
    id,
    status,
    rolloutState: rolloutState as WireDeployment['rolloutState'],
    rolloutStateReason,
    createdAt: 100,
    updatedAt,
  });

  it('tells each transition once, a new deployment from IN_PROGRESS, and a breaker failure before its rollback', () => {
    const first = deploymentEvents(
      SERVICE_ARN,
      [d('A', 'PRIMARY', 'IN_PROGRESS', 'ECS deployment A in progress.', 100)],
      {},
      true,
    );
    assert.deepEqual(
      first.entries.map((e) => [
        e.detail.eventName,
        e.detail.eventType,
        e.detail.deploymentId,
        e.detail.reason,
      ]),
      [['SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', 'A', 'ECS deployment A in progress.']],
    );
    assert.equal(first.entries[0].detail.updatedAt, '1970-01-01T00:01:40.000Z');
    assert.deepEqual(first.entries[0].resources, [SERVICE_ARN]);
    const again = deploymentEvents(
      SERVICE_ARN,
      [d('A', 'PRIMARY', 'IN_PROGRESS', 'ECS deployment A in progress.', 120)],
      first.seen,
      false,
    );
    assert.deepEqual(again.entries, []);
    const done = deploymentEvents(
      SERVICE_ARN,
      [d('A', 'PRIMARY', 'COMPLETED', 'ECS deployment A completed.', 130)],
      first.seen,
      false,
    );
    assert.deepEqual(
      done.entries.map((e) => e.detail.eventName),
      ['SERVICE_DEPLOYMENT_COMPLETED'],
    );
    // B fails and A is PRIMARY again, both at 200: FAILED first, then the rollback.
    const tripped = deploymentEvents(
      SERVICE_ARN,
      [
        d('A', 'PRIMARY', 'IN_PROGRESS', rollbackReason('A'), 200),
        d('B', 'ACTIVE', 'FAILED', BREAKER_FAILED_REASON, 200),
      ],
      { ...done.seen, B: { state: 'IN_PROGRESS', reason: 'ECS deployment B in progress.' } },
      false,
      { rolloutStartedAt: { A: 200_000 }, finishedAt: { B: 200_000 } },
    );
    assert.deepEqual(
      tripped.entries.map((e) => [
        e.detail.deploymentId,
        e.detail.eventName,
        e.detail.eventType,
        e.detail.reason,
      ]),
      [
        ['B', 'SERVICE_DEPLOYMENT_FAILED', 'ERROR', BREAKER_FAILED_REASON],
        ['A', 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', rollbackReason('A')],
      ],
    );
  });

  it('tells a rollback that began and completed between two passes: failure, rollback, completion', () => {
    const seen = {
      A: { state: 'COMPLETED', reason: 'ECS deployment A completed.', since: 100_000 },
      B: { state: 'IN_PROGRESS', reason: 'ECS deployment B in progress.', since: 100_000 },
    };
    const out = deploymentEvents(
      SERVICE_ARN,
      [
        d('A', 'PRIMARY', 'COMPLETED', 'ECS deployment A completed.', 260),
        d('B', 'INACTIVE', 'FAILED', BREAKER_FAILED_REASON, 300),
      ],
      seen,
      false,
      { rolloutStartedAt: { A: 200_000 }, finishedAt: { B: 200_000, A: 260_000 } },
    );
    assert.deepEqual(
      out.entries.map((e) => [
        e.detail.deploymentId,
        e.detail.eventName,
        e.detail.reason,
        e.detail.updatedAt,
      ]),
      [
        ['B', 'SERVICE_DEPLOYMENT_FAILED', BREAKER_FAILED_REASON, '1970-01-01T00:03:20.000Z'],
        ['A', 'SERVICE_DEPLOYMENT_IN_PROGRESS', rollbackReason('A'), '1970-01-01T00:03:20.000Z'],
        ['A', 'SERVICE_DEPLOYMENT_COMPLETED', 'ECS deployment A completed.', '1970-01-01T00:04:20.000Z'],
      ],
    );
    const again = deploymentEvents(
      SERVICE_ARN,
      [d('A', 'PRIMARY', 'COMPLETED', 'ECS deployment A completed.', 270)],
      out.seen,
      false,
      { rolloutStartedAt: { A: 200_000 }, finishedAt: { B: 200_000, A: 260_000 } },
    );
    assert.deepEqual(again.entries, []);
  });

  it('keeps a failure first when its rollback starts and completes in the same pass', () => {
    const seen = {
      A: { state: 'COMPLETED', reason: 'ECS deployment A completed.', since: 100_000 },
      B: { state: 'IN_PROGRESS', reason: 'ECS deployment B in progress.', since: 150_000 },
    };
    for (const list of [
      [
        d('A', 'PRIMARY', 'COMPLETED', 'ECS deployment A completed.', 200),
        d('B', 'ACTIVE', 'FAILED', BREAKER_FAILED_REASON, 200),
      ],
      [
        d('B', 'ACTIVE', 'FAILED', BREAKER_FAILED_REASON, 200),
        d('A', 'PRIMARY', 'COMPLETED', 'ECS deployment A completed.', 200),
      ],
    ]) {
      const out = deploymentEvents(SERVICE_ARN, list, seen, false, {
        rolloutStartedAt: { A: 200_000 },
        finishedAt: { A: 200_000, B: 200_000 },
      });
      assert.deepEqual(
        out.entries.map((e) => [e.detail.deploymentId, e.detail.eventName]),
        [
          ['B', 'SERVICE_DEPLOYMENT_FAILED'],
          ['A', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
          ['A', 'SERVICE_DEPLOYMENT_COMPLETED'],
        ],
      );
    }
  });

  it('gives a deployment first seen finished its IN_PROGRESS event first, and skips old history on a new cursor', () => {
    const out = deploymentEvents(
      SERVICE_ARN,
      [
        d('C', 'PRIMARY', 'COMPLETED', 'ECS deployment C completed.', 300),
        d('OLD', 'INACTIVE', 'COMPLETED', 'x', 50),
      ],
      {},
      true,
    );
    assert.deepEqual(
      out.entries.map((e) => [e.detail.deploymentId, e.detail.eventName]),
      [
        ['C', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
        ['C', 'SERVICE_DEPLOYMENT_COMPLETED'],
      ],
    );
    assert.deepEqual(Object.keys(out.seen).sort(), ['C', 'OLD']);
  });
});

describe('ECS Service Action', () => {
  const record = (
    events: { id: string; createdAt: number; message: string }[],
    extra: object = {},
  ): ServiceRecord => ({
    clusterName: 'c',
    service: {
      serviceName: 'web',
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      events,
      deployments: [],
      ...extra,
    },
  });

  it('reads the placement reason out of every "unable to place" message the service controller writes', () => {
    const cases: [string, string][] = [
      [messages.unplaced('web', 'abc', Reason.Memory), 'RESOURCE:MEMORY'],
      [messages.unplaced('web', 'abc', Reason.Cpu), 'RESOURCE:CPU'],
      [messages.unplaced('web', 'abc', Reason.Gpu), 'RESOURCE:GPU'],
      [messages.unplaced('web', 'abc', Reason.Ports), 'RESOURCE:PORTS'],
      [messages.unplaced('web', 'abc', Reason.Attribute), 'ATTRIBUTE'],
      [messages.unplaced('web', 'abc', Reason.LaunchType), 'ATTRIBUTE'],
      [messages.unplaced('web', 'abc', Reason.Agent), 'AGENT'],
      [messages.unplaced('web', 'abc', Reason.Status), 'INACTIVE'],
      [messages.unplaced('web', 'abc', Reason.MemberOf), 'MemberOf placement constraint unsatisfied.'],
      [
        messages.unplaced('web', 'abc', Reason.DistinctInstance),
        'DistinctInstance placement constraint unsatisfied.',
      ],
      [messages.unplaced('web', undefined, 'x'), 'No Container Instances were found in your cluster.'],
      [
        messages.unplacedFargate('web', FARGATE_CAPACITY_UNAVAILABLE, 'No FARGATE host has 4096 MiB.'),
        'RESOURCE:FARGATE',
      ],
      [messages.unplacedFargate('web', 'Invalid platform version.', ''), 'Invalid platform version.'],
    ];
    for (const [message, reason] of cases) assert.equal(placementReason('web', message), reason, message);
    assert.equal(placementReason('web', messages.steadyState('web')), undefined);
    assert.equal(placementReason('other', messages.unplaced('web', 'abc', Reason.Memory)), undefined);
  });

  it('turns steady state, start impaired and placement failure events into actions, with capacity providers', () => {
    const at = 1574191642.695;
    const r = record([], { capacityProviderStrategy: [{ capacityProvider: 'cp1', weight: 1 }] });
    const steady = serviceActions(
      r,
      { id: '1', createdAt: at, message: messages.steadyState('web') },
      partition,
    );
    assert.deepEqual(
      steady.map((e) => e.detail),
      [
        {
          eventType: 'INFO',
          eventName: 'SERVICE_STEADY_STATE',
          clusterArn: CLUSTER_ARN,
          createdAt: '2019-11-19T19:27:22.695Z',
        },
        {
          eventType: 'INFO',
          eventName: 'CAPACITY_PROVIDER_STEADY_STATE',
          clusterArn: CLUSTER_ARN,
          createdAt: '2019-11-19T19:27:22.695Z',
          capacityProviderArns: ['arn:aws:ecs:us-east-1:000000000000:capacity-provider/cp1'],
        },
      ],
    );
    assert.deepEqual(steady[0].resources, [SERVICE_ARN]);
    assert.equal(steady[0].detailType, 'ECS Service Action');
    const impaired = serviceActions(
      r,
      { id: '2', createdAt: at, message: throttleMessage('web') },
      partition,
    );
    assert.deepEqual(
      impaired.map((e) => [e.detail.eventType, e.detail.eventName]),
      [['WARN', 'SERVICE_TASK_START_IMPAIRED']],
    );
    const unplaced = serviceActions(
      r,
      { id: '3', createdAt: at, message: messages.unplaced('web', 'i', Reason.Memory) },
      partition,
    );
    assert.deepEqual(unplaced[0].detail, {
      eventType: 'ERROR',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      clusterArn: CLUSTER_ARN,
      createdAt: '2019-11-19T19:27:22.695Z',
      capacityProviderArns: ['arn:aws:ecs:us-east-1:000000000000:capacity-provider/cp1'],
      reason: 'RESOURCE:MEMORY',
    });
    const started = serviceActions(
      r,
      { id: '4', createdAt: at, message: messages.started('web', ['a']) },
      partition,
    );
    assert.deepEqual(started, []);
  });

  it('takes only the service events newer than the cursor, oldest first, even once the cursor event is trimmed', () => {
    const events = [
      { id: 'e3', createdAt: 30, message: 'c' },
      { id: 'e2', createdAt: 20, message: 'b' },
      { id: 'e1', createdAt: 10, message: 'a' },
    ];
    assert.deepEqual(
      newEvents(events, undefined).map((e) => e.id),
      ['e1', 'e2', 'e3'],
    );
    assert.deepEqual(
      newEvents(events, { lastEventId: 'e1', lastEventAt: 10, deployments: {} }).map((e) => e.id),
      ['e2', 'e3'],
    );
    assert.deepEqual(
      newEvents(events, { lastEventId: 'e0', lastEventAt: 20, deployments: {} }).map((e) => e.id),
      ['e2', 'e3'],
    );
    const r = record(
      events.map((e, i) => ({ ...e, message: i === 0 ? messages.steadyState('web') : e.message })),
    );
    const step = serviceStep(r, { lastEventId: 'e2', lastEventAt: 20, deployments: {} }, partition);
    assert.deepEqual(
      step?.entries.map((e) => e.detail.eventName),
      ['SERVICE_STEADY_STATE'],
    );
    assert.equal(step?.cursor.lastEventId, 'e3');
    assert.equal(serviceStep(r, step?.cursor, partition), undefined, 'a current cursor has nothing to tell');
  });
});
