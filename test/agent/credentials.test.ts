/**
 * Task role credentials without Docker: which source addresses may read a task's credentials
 * (bridge, awsvpc, host, none), the endpoint's 200/403/404 answers, the agent's wait for a task's
 * roles, the ids (stable, unguessable, per task and role) and the refresh timing of the control
 * plane's feed (half-life, shared by reconnects, stopped with the task).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoleType, type TaskAssignment, type TaskCredentialsMessage } from '../../src/core/agent-protocol.ts';
import type { Timers } from '../../src/core/timers.ts';
import { sourceAllowed } from '../../src/agent/endpoints/credentials-binding.ts';
import { answerTaskCredentials } from '../../src/agent/endpoints/credentials-endpoint.ts';
import type { TaskState } from '../../src/agent/engine/task-state.ts';
import { TaskCredentialsStore } from '../../src/agent/task-credentials.ts';
import { TaskCredentialsFeed, type IssuedRole } from '../../src/channel/task-credentials.ts';
import { credentialsIdFor, refreshAt } from '../../src/iam/model/task-credentials.ts';

const TASK_ARN = 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef';

function assignment(networkMode: string, extra: Partial<TaskAssignment> = {}): TaskAssignment {
  return {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/i',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/app:1',
    taskDefinition: {
      networkMode: networkMode as 'bridge',
      taskRoleArn: 'arn:aws:iam::000000000000:role/app',
    },
    overrides: {},
    containers: [],
    desiredStatus: 'RUNNING',
    version: 1,
    ...extra,
  };
}

function task(
  networkMode: string,
  containers: Partial<TaskState['containers'][number]>[] = [],
  extra = {},
): TaskState {
  return {
    assignment: assignment(networkMode, extra),
    known: 'RUNNING',
    desired: 'RUNNING',
    containers: containers.map((c, i) => ({
      name: `c${i}`,
      dockerName: `d${i}`,
      metadataId: `m${i}`,
      known: 'RUNNING',
      desired: 'RUNNING',
      health: 'UNKNOWN',
      networkBindings: [],
      ...c,
    })),
    ackedSeq: 0,
  };
}

const ENI = {
  attachmentId: 'a',
  networkInterfaceId: 'eni-1',
  subnetId: 'subnet-1',
  vpcId: 'vpc-1',
  macAddress: '0a:00:00:00:00:01',
  privateIpv4Address: '172.31.16.9',
  privateDnsName: 'ip-172-31-16-9.ec2.internal',
  subnetCidr: '172.31.16.0/20',
  subnetGatewayIpv4Address: '172.31.16.1',
  vpcCidr: '172.31.0.0/16',
  vpcCidrs: ['172.31.0.0/16'],
  assignPublicIp: false,
};

describe('credentials source binding', () => {
  const none = new Set<string>();
  it('bridge: only the addresses of the task’s own containers', () => {
    const t = task('bridge', [{ runtimeId: 'r1', ipv4Address: '172.17.0.5' }]);
    assert.equal(sourceAllowed(t, '172.17.0.5', none), 'yes');
    assert.equal(sourceAllowed(t, '::ffff:172.17.0.5', none), 'yes');
    assert.equal(sourceAllowed(t, '172.17.0.6', none), 'no');
    assert.equal(sourceAllowed(t, '127.0.0.1', none), 'no');
  });
  it('bridge: a container started but not yet observed makes the answer depend on Docker', () => {
    const t = task('bridge', [{ runtimeId: 'r1' }]);
    assert.equal(sourceAllowed(t, '172.17.0.5', none), 'unknown');
    const stoppedOnly = task('bridge', [{ runtimeId: 'r1', known: 'STOPPED' }]);
    assert.equal(sourceAllowed(stoppedOnly, '172.17.0.5', none), 'no');
  });
  it('awsvpc: only the ENI address', () => {
    const t = task('awsvpc', [{ runtimeId: 'r1' }], { eni: ENI });
    assert.equal(sourceAllowed(t, '172.31.16.9', none), 'yes');
    assert.equal(sourceAllowed(t, '172.31.16.10', none), 'no');
    assert.equal(sourceAllowed(t, '127.0.0.1', none), 'no');
  });
  it('host: loopback and the host’s own addresses; none: nothing', () => {
    const t = task('host');
    assert.equal(sourceAllowed(t, '127.0.0.1', none), 'yes');
    assert.equal(sourceAllowed(t, '10.0.0.5', new Set(['10.0.0.5'])), 'yes');
    assert.equal(sourceAllowed(t, '172.17.0.5', new Set(['10.0.0.5'])), 'no');
    assert.equal(sourceAllowed(task('none'), '127.0.0.1', none), 'no');
  });
});

describe('credentials endpoint answers', () => {
  const credentials = {
    roleArn: 'arn:aws:iam::000000000000:role/app',
    credentialsId: 'id-1',
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'secret-secret',
    sessionToken: 'token-token',
    expiration: Date.UTC(2030, 0, 1),
  };
  const owner = task('bridge', [{ runtimeId: 'r1', ipv4Address: '172.17.0.5' }]);
  const lookup = {
    byId: (id: string) => (id === 'id-1' ? { taskArn: TASK_ARN, credentials } : undefined),
    task: (arn: string) => (arn === TASK_ARN ? owner : undefined),
    liveAddresses: async () => ['172.17.0.5'],
  };
  it('gives the owner ECS’s credentials shape', async () => {
    const answer = await answerTaskCredentials(lookup, 'id-1', '172.17.0.5');
    assert.deepEqual(answer, {
      status: 200,
      body: {
        RoleArn: credentials.roleArn,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: '2030-01-01T00:00:00.000Z',
      },
    });
  });
  it('refuses a neighbour with 403 and no secret; an unknown id is not a task role’s', async () => {
    const answer = await answerTaskCredentials(lookup, 'id-1', '172.17.0.9');
    assert.equal(answer?.status, 403);
    assert.doesNotMatch(JSON.stringify(answer), /secret|token|ASIA|id-1/);
    assert.equal(await answerTaskCredentials(lookup, 'id-2', '172.17.0.5'), undefined);
  });
  it('asks Docker when the container’s address is not recorded yet', async () => {
    const fresh = task('bridge', [{ runtimeId: 'r1' }]);
    const l = { ...lookup, task: () => fresh };
    assert.equal((await answerTaskCredentials(l, 'id-1', '172.17.0.5'))?.status, 200);
    assert.equal((await answerTaskCredentials(l, 'id-1', '172.17.0.7'))?.status, 403);
  });
  it('answers nothing once the task stopped', async () => {
    const stopped = { ...owner, known: 'STOPPED' as const };
    assert.equal(
      await answerTaskCredentials({ ...lookup, task: () => stopped }, 'id-1', '172.17.0.5'),
      undefined,
    );
  });
});

/** Timers driven by hand: `advance(ms)` fires what is due, in order. */
function manualTime(start = 0) {
  let now = start;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => pending.delete(id as number),
  };
  return {
    clock: { now: () => now },
    timers,
    pending: () => pending.size,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        for (let i = 0; i < 10; i++) await Promise.resolve();
      }
      now = until;
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('task credentials store (agent)', () => {
  const message = (extra: Partial<TaskCredentialsMessage>): TaskCredentialsMessage => ({
    type: 'credentials',
    taskArn: TASK_ARN,
    roleType: RoleType.TaskApplication,
    roleArn: 'arn:aws:iam::000000000000:role/app',
    credentialsId: 'id-1',
    ...extra,
  });
  it('waits for every role, answers the first error, and times out', async () => {
    const time = manualTime();
    const store = new TaskCredentialsStore();
    const both = [RoleType.TaskApplication, RoleType.TaskExecution];
    const waiting = store.waitFor(TASK_ARN, both, 60_000, time.timers);
    store.set(
      message({
        credentials: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: 1 },
      }),
    );
    store.set(
      message({ roleType: RoleType.TaskExecution, credentialsId: 'id-2', error: 'ECS was unable ...' }),
    );
    assert.deepEqual(await waiting, { ok: false, reason: 'ECS was unable ...' });
    // The execution role's id is never served to containers.
    assert.equal(store.byId('id-2'), undefined);
    assert.equal(store.byId('id-1')?.credentials.accessKeyId, 'ASIA1');
    const other = store.waitFor('arn:other', both, 60_000, time.timers);
    await time.advance(60_000);
    const answer = await other;
    assert.equal(answer.ok, false);
    store.remove(TASK_ARN);
    assert.equal(store.byId('id-1'), undefined);
  });
});

describe('task credentials ids and refresh timing (control plane)', () => {
  it('ids are stable per task and role, distinct otherwise, and depend on the key', () => {
    const a = credentialsIdFor('key', TASK_ARN, RoleType.TaskApplication);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(credentialsIdFor('key', TASK_ARN, RoleType.TaskApplication), a);
    assert.notEqual(credentialsIdFor('key', TASK_ARN, RoleType.TaskExecution), a);
    assert.notEqual(credentialsIdFor('key', `${TASK_ARN}0`, RoleType.TaskApplication), a);
    assert.notEqual(credentialsIdFor('other key', TASK_ARN, RoleType.TaskApplication), a);
  });
  it('refreshes at half the lifetime', () => {
    assert.equal(refreshAt(0, 21_600_000), 10_800_000);
    assert.equal(refreshAt(1_000, 901_000), 451_000);
  });

  const HOUR = 3_600_000;
  function feedWith(alive: { value: boolean }) {
    const time = manualTime(1_000_000);
    let issued = 0;
    const feed = new TaskCredentialsFeed({
      issuer: {
        issue: async (): Promise<IssuedRole> => {
          issued++;
          const now = time.clock.now();
          return {
            ok: true,
            accessKeyId: `ASIA${issued}`,
            secretAccessKey: 's',
            sessionToken: 't',
            issuedAt: now,
            expiresAt: now + 6 * HOUR,
          };
        },
        credentialsId: (taskArn, roleType) => credentialsIdFor('k', taskArn, roleType),
        refreshAt,
      },
      clock: time.clock,
      timers: time.timers,
      alive: async () => alive.value,
      log: { warn: () => undefined },
    });
    return { time, feed, issued: () => issued };
  }
  const peer = () => {
    const got: TaskCredentialsMessage[] = [];
    return { got, peer: { send: (m: TaskCredentialsMessage) => got.push(m), open: true } };
  };

  it('sends once per connection, again at half-life, and stops when the task is gone', async () => {
    const alive = { value: true };
    const { time, feed, issued } = feedWith(alive);
    const p = peer();
    const a = assignment('bridge');
    feed.sync(p.peer, [a]);
    feed.sync(p.peer, [a]);
    await flush();
    assert.equal(p.got.length, 1);
    assert.equal(p.got[0]?.credentials?.accessKeyId, 'ASIA1');
    await time.advance(3 * HOUR - 1);
    assert.equal(p.got.length, 1, 'refreshed early');
    await time.advance(1);
    assert.equal(p.got.length, 2);
    assert.equal(p.got[1]?.credentials?.accessKeyId, 'ASIA2');
    assert.equal(p.got[1]?.credentialsId, p.got[0]?.credentialsId, 'the id never changes');
    alive.value = false;
    await time.advance(3 * HOUR);
    assert.equal(p.got.length, 2);
    assert.equal(issued(), 2);
    assert.equal(time.pending(), 0);
  });

  it('a reconnect gets the credentials already issued, not a new session', async () => {
    const { feed, issued } = feedWith({ value: true });
    const first = peer();
    feed.sync(first.peer, [assignment('bridge')]);
    await flush();
    feed.close(first.peer);
    const second = peer();
    feed.sync(second.peer, [assignment('bridge')]);
    await flush();
    assert.equal(issued(), 1);
    assert.equal(second.got[0]?.credentials?.accessKeyId, 'ASIA1');
  });

  it('sends both roles, the override winning, and nothing for a task that is stopping', async () => {
    const { feed } = feedWith({ value: true });
    const p = peer();
    feed.sync(p.peer, [
      assignment('bridge', {
        taskDefinition: {
          taskRoleArn: 'arn:aws:iam::000000000000:role/app',
          executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
        },
        overrides: { taskRoleArn: 'arn:aws:iam::000000000000:role/other' },
      }),
      assignment('bridge', { taskArn: `${TASK_ARN}ff`, desiredStatus: 'STOPPED' }),
    ]);
    await flush();
    assert.deepEqual(
      p.got.map((m) => [m.roleType, m.roleArn]),
      [
        ['TaskApplication', 'arn:aws:iam::000000000000:role/other'],
        ['TaskExecution', 'arn:aws:iam::000000000000:role/exec'],
      ],
    );
    feed.closeAll();
  });
});
