/** An agent whose control channel is refused says why (AWS's error from the upgrade), then keeps retrying. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelClient } from '../../src/agent/channel/channel-client.ts';
import { AGENT_CHANNEL_PATH } from '../../src/core/agent-protocol.ts';
import { seededRng } from '../../src/core/clock.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

describe('agent control channel refused', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(async () => {
    await t?.stop();
  });

  it('logs the control plane’s error type and message, and retries', async () => {
    const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
    const client = new ChannelClient({
      endpoint: t.plane.endpoint,
      path: AGENT_CHANNEL_PATH,
      cluster: 'default',
      containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/abc',
      region: 'us-east-1',
      credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' },
      rng: seededRng(1),
      onAssign: () => {},
      knownTasks: () => [],
      latestReports: () => [],
      onAck: () => {},
      log: {
        info: () => {},
        warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
      },
    });
    client.start();
    try {
      const refused = await waitFor('the refusal to be logged', async () =>
        warnings.find((w) => w.msg.startsWith('control plane refused the control channel')),
      );
      assert.equal(refused.obj.status, 403);
      assert.match(
        String(refused.obj.error),
        /^InvalidSignatureException: The request signature we calculated/,
      );
      await waitFor('a reconnect to be scheduled', async () =>
        warnings.some((w) => w.msg === 'control channel down; reconnecting'),
      );
    } finally {
      client.close();
    }
  });
});
