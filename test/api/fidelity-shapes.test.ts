/** Response shapes ECS documents by example: cluster tags, and the task definition members left out. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const TAGS = [{ key: 'key1', value: 'value1' }];

describe('fidelity: shapes', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  it('CreateCluster answers tags as given, [] without any (the aws-cli create-cluster examples)', async () => {
    const plain = await t.ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
    assert.deepEqual(plain.cluster?.tags, []);
    assert.deepEqual(plain.cluster?.statistics, []);
    const tagged = await t.ecs.send(new CreateClusterCommand({ clusterName: 'tagged', tags: TAGS }));
    assert.deepEqual(tagged.cluster?.tags, TAGS);
  });

  it('DescribeClusters answers tags [] unless include TAGS asks for them', async () => {
    const bare = await t.ecs.send(new DescribeClustersCommand({ clusters: ['tagged', 'plain'] }));
    assert.deepEqual(
      bare.clusters?.map((c) => [c.clusterName, c.tags, c.settings, c.statistics]),
      [
        ['tagged', [], [], []],
        ['plain', [], [], []],
      ],
    );
    const withTags = await t.ecs.send(
      new DescribeClustersCommand({ clusters: ['tagged', 'plain'], include: ['TAGS'] }),
    );
    assert.deepEqual(
      withTags.clusters?.map((c) => c.tags),
      [TAGS, []],
    );
  });

  it('DescribeTaskDefinition leaves networkMode out when it was not given (the mode is bridge)', async () => {
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sleep360',
        containerDefinitions: [{ name: 'sleep', image: 'busybox', memory: 10, command: ['sleep', '360'] }],
      }),
    );
    const { taskDefinition } = await t.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'sleep360' }),
    );
    assert.equal('networkMode' in (taskDefinition ?? {}), false);
    assert.deepEqual(taskDefinition?.compatibilities, ['EC2']);
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sleep360',
        networkMode: 'bridge',
        containerDefinitions: [{ name: 'sleep', image: 'busybox', memory: 10 }],
      }),
    );
    const given = await t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sleep360:2' }));
    assert.equal(given.taskDefinition?.networkMode, 'bridge');
  });
});
