/**
 * Sibling services load on their first request: ECS calls never load them (their SDK models cost
 * tens of MiB), the first call to any of them loads all of them once, concurrent first calls
 * included, and each answers as if it had been there from the start.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

describe('lazily loaded sibling services', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  it('loads nothing for ECS calls, then only the sibling services a request is signed for', async () => {
    assert.deepEqual(
      t.plane.services.loaded.map((s) => s.name),
      ['ecs', 'longshore'],
    );
    await t.ecs.send(new ListClustersCommand({}));
    assert.equal(t.plane.services.pending, true);
    const config = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    const sts = new STSClient(config);
    const cloudwatch = new CloudWatchClient(config);
    try {
      const [identity, alarms] = await Promise.all([
        sts.send(new GetCallerIdentityCommand({})),
        cloudwatch.send(new DescribeAlarmsCommand({})),
      ]);
      assert.equal(identity.Account, '000000000000');
      assert.deepEqual(alarms.MetricAlarms, []);
    } finally {
      sts.destroy();
      cloudwatch.destroy();
    }
    // EC2's model and the Scheduler's stay unloaded: nothing was signed for them.
    assert.equal(t.plane.services.pending, true);
    assert.deepEqual(t.plane.services.loaded.map((s) => s.name).sort(), [
      'cloudwatch',
      'ecs',
      'longshore',
      'sts',
    ]);
    const ec2 = new EC2Client(config);
    try {
      const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
      assert.equal(zones.AvailabilityZones?.[0]?.ZoneName, 'us-east-1a');
    } finally {
      ec2.destroy();
    }
    assert.deepEqual(t.plane.services.loaded.map((s) => s.name).sort(), [
      'cloudwatch',
      'ec2',
      'ecs',
      'longshore',
      'sts',
    ]);
    // A request scoped to no known service loads the rest.
    await t.plane.services.loadFor('no-such-service');
    assert.equal(t.plane.services.pending, false);
  });
});
