/**
 * The agent's own `longshore.*` attributes, like ECS's `ecs.*`, are not the user's: an instance
 * that carries them still takes 10 custom attributes through PutAttributes, and the 11th fails
 * with ECS's AttributeLimitExceededException message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  ListAttributesCommand,
  PutAttributesCommand,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent } from '../support/agents.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const ECS_LIMIT_MESSAGE =
  'You can apply up to 10 custom attributes for each resource. You can view the attributes of a resource with ListAttributes. You can remove existing attributes on a resource with DeleteAttributes.';

describe('custom attribute quota on an agent instance', () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'quota' }));
    a = await startTestAgent(t, { cluster: 'quota' });
  });
  after(async () => {
    await a?.stop();
    await t?.stop();
  });

  it('takes 10 user attributes beside the agent’s longshore.* ones; the 11th fails as on ECS', async () => {
    const targetId = a.agent.containerInstanceArn;
    const described = await t.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'quota', containerInstances: [targetId] }),
    );
    const own = (described.containerInstances?.[0].attributes ?? []).filter((x) =>
      x.name?.startsWith('longshore.'),
    );
    assert.ok(own.length > 0, 'the agent registered longshore.* attributes');

    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `team-${i}`, value: `v${i}`, targetId }));
    const put = await t.ecs.send(new PutAttributesCommand({ cluster: 'quota', attributes: ten }));
    assert.equal(put.attributes?.length, 10);
    const listed = await t.ecs.send(
      new ListAttributesCommand({ cluster: 'quota', targetType: 'container-instance' }),
    );
    assert.equal(listed.attributes?.filter((x) => x.name?.startsWith('team-')).length, 10);

    const e = await awsError(() =>
      t.ecs.send(
        new PutAttributesCommand({
          cluster: 'quota',
          attributes: [{ name: 'eleventh', value: 'v', targetId }],
        }),
      ),
    );
    assert.equal(e.name, 'AttributeLimitExceededException');
    assert.equal(e.message, ECS_LIMIT_MESSAGE);

    // Replacing one of the ten is not an eleventh.
    await t.ecs.send(
      new PutAttributesCommand({ cluster: 'quota', attributes: [{ name: 'team-0', value: 'w', targetId }] }),
    );
  });

  it('keeps longshore.* for the agent, as ecs.* is kept for ECS', async () => {
    const targetId = a.agent.containerInstanceArn;
    const e = await awsError(() =>
      t.ecs.send(
        new PutAttributesCommand({
          cluster: 'quota',
          attributes: [{ name: 'longshore.dynamic-host-port-range', value: '1-2', targetId }],
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /reserved for the Longshore agent/);
  });
});
