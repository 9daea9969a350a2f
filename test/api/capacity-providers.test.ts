import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeCapacityProvidersCommand } from '@aws-sdk/client-ecs';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

describe('capacity providers', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  it('describes the reserved FARGATE and FARGATE_SPOT providers, with MISSING for others', async () => {
    const all = await t.ecs.send(new DescribeCapacityProvidersCommand({}));
    assert.deepEqual(
      all.capacityProviders?.map((p) => [p.name, p.status, p.capacityProviderArn]),
      [
        ['FARGATE', 'ACTIVE', 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE'],
        ['FARGATE_SPOT', 'ACTIVE', 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE_SPOT'],
      ],
    );
    const some = await t.ecs.send(
      new DescribeCapacityProvidersCommand({
        capacityProviders: ['FARGATE_SPOT', 'mine'],
        include: ['TAGS'],
      }),
    );
    assert.deepEqual(
      some.capacityProviders?.map((p) => [p.name, p.tags]),
      [['FARGATE_SPOT', []]],
    );
    assert.deepEqual(some.failures, [
      { arn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/mine', reason: 'MISSING' },
    ]);
  });
});
