/**
 * Cluster mode's usage relay: a follower's agents' samples reach the leader's publisher, signed
 * with the root key; the leader's route refuses any other key and malformed batches.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { ReplicaPresence } from '../../src/channel/replica-presence.ts';
import { type RelayedSample, UsageRelay, usageRelayRoute } from '../../src/channel/usage-relay.ts';
import { signRequest } from '../../src/core/sign-request.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { waitFor } from '../support/agents.ts';

const ROOT = { accessKeyId: 'AKLSROOTROOTROOTROOT', secretAccessKey: 'root-secret-for-the-relay-test' };
const clock = { now: () => Date.now() };
const log = { warn: () => {} };

const received: RelayedSample[] = [];
const route = usageRelayRoute({
  secrets: (id) => (id === ROOT.accessKeyId ? { secretAccessKey: ROOT.secretAccessKey } : undefined),
  clock,
  accept: (s) => received.push(s),
});
const leaderServer = createServer((req, res) => {
  route.handle(req, res).catch(() => res.destroy());
});
await new Promise<void>((resolve) => leaderServer.listen(0, '127.0.0.1', resolve));
const leaderEndpoint = `http://127.0.0.1:${(leaderServer.address() as AddressInfo).port}`;
const store = SqliteStore.open(':memory:');
after(async () => {
  leaderServer.close();
  await store.close();
});

it('relays a follower agents samples to the leader, in one signed batch', async () => {
  const leader = new ReplicaPresence({
    store,
    id: 'leader',
    endpoint: () => leaderEndpoint,
    leader: () => true,
    version: 'test',
    clock,
    log,
  });
  await leader.beat();
  const follower = new ReplicaPresence({
    store,
    id: 'follower',
    endpoint: () => 'http://127.0.0.1:1',
    leader: () => false,
    version: 'test',
    clock,
    log,
  });
  await follower.beat();
  const relay = new UsageRelay({ presence: follower, credentials: ROOT, region: 'us-east-1', clock, log });
  const task = { taskArn: 'arn:aws:ecs:eu-west-1:000000000000:task/c/1', cpuUnits: 512, memoryMiB: 100 };
  relay.add({ region: 'eu-west-1', at: 1_000, tasks: [task] });
  relay.add({ region: 'eu-west-1', at: 2_000, tasks: [task] });
  await waitFor(
    'the leader to get both samples',
    async () => (received.length === 2 ? true : undefined),
    5_000,
  );
  assert.deepEqual(
    received.map((s) => [s.region, s.at, s.tasks[0]?.cpuUnits]),
    [
      ['eu-west-1', 1_000, 512],
      ['eu-west-1', 2_000, 512],
    ],
  );
  relay.close();
});

it('the leader refuses a batch signed with another key (403) and a malformed one (400)', async () => {
  const url = new URL('/longshore/v1/agent-usage', leaderEndpoint);
  const post = async (credentials: typeof ROOT, body: string) => {
    const { host: _h, ...headers } = await signRequest(credentials, 'us-east-1', {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      now: Date.now(),
    });
    return (await fetch(url, { method: 'POST', headers, body })).status;
  };
  const before = received.length;
  assert.equal(await post({ ...ROOT, accessKeyId: 'AKLSOTHEROTHEROTHER0' }, '{"samples":[]}'), 403);
  assert.equal(await post(ROOT, '{"samples":"no"}'), 400);
  assert.equal(await post(ROOT, 'not json'), 400);
  assert.equal(received.length, before);
});
