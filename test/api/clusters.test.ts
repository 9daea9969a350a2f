import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ListClustersCommand,
  PutClusterCapacityProvidersCommand,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

describe('clusters', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  it('creates a cluster with ECS defaults', async () => {
    const { cluster } = await t.ecs.send(
      new CreateClusterCommand({ clusterName: 'c1', tags: [{ key: 'team', value: 'a' }] }),
    );
    assert.deepEqual(cluster, {
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c1',
      clusterName: 'c1',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [{ key: 'team', value: 'a' }],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
  });

  it('returns the existing cluster when created twice', async () => {
    const again = await t.ecs.send(new CreateClusterCommand({ clusterName: 'c1' }));
    assert.equal(again.cluster?.clusterArn, 'arn:aws:ecs:us-east-1:000000000000:cluster/c1');
    const list = await t.ecs.send(new ListClustersCommand({}));
    assert.equal(list.clusterArns?.filter((a) => a.endsWith('/c1')).length, 1);
  });

  it('rejects bad names with InvalidParameterException', async () => {
    const e = await awsError(() => t.ecs.send(new CreateClusterCommand({ clusterName: 'bad name!' })));
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.status, 400);
  });

  it('describes by name and ARN, with MISSING failures and include', async () => {
    const out = await t.ecs.send(
      new DescribeClustersCommand({
        clusters: ['c1', 'arn:aws:ecs:us-east-1:000000000000:cluster/c1', 'nope'],
        include: ['STATISTICS', 'TAGS'],
      }),
    );
    assert.equal(out.clusters?.length, 2);
    assert.deepEqual(out.failures, [
      { arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' },
    ]);
    assert.ok(
      out.clusters?.[0].statistics?.some((s) => s.name === 'runningEC2TasksCount' && s.value === '0'),
    );
    assert.deepEqual(out.clusters?.[0].tags, [{ key: 'team', value: 'a' }]);
  });

  it('pages ListClusters with nextToken', async () => {
    for (const n of ['p1', 'p2', 'p3']) await t.ecs.send(new CreateClusterCommand({ clusterName: n }));
    const first = await t.ecs.send(new ListClustersCommand({ maxResults: 2 }));
    assert.equal(first.clusterArns?.length, 2);
    assert.ok(first.nextToken);
    const rest = await t.ecs.send(new ListClustersCommand({ maxResults: 100, nextToken: first.nextToken }));
    const all = [...(first.clusterArns ?? []), ...(rest.clusterArns ?? [])];
    assert.equal(new Set(all).size, all.length);
    assert.equal(rest.nextToken, undefined);
    const e = await awsError(() => t.ecs.send(new ListClustersCommand({ maxResults: 101 })));
    assert.equal(e.name, 'InvalidParameterException');
  });

  it('updates settings and capacity providers', async () => {
    const s = await t.ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: 'c1',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    assert.deepEqual(s.cluster?.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    const cp = await t.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'c1',
        capacityProviders: ['FARGATE'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
    );
    assert.deepEqual(cp.cluster?.capacityProviders, ['FARGATE']);
    const bad = await awsError(() =>
      t.ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'c1',
          capacityProviders: ['mine'],
          defaultCapacityProviderStrategy: [],
        }),
      ),
    );
    assert.equal(bad.name, 'InvalidParameterException');
  });

  it('deletes a cluster: INACTIVE in describe, gone from list, ClusterNotFound after', async () => {
    const d = await t.ecs.send(new DeleteClusterCommand({ cluster: 'p1' }));
    assert.equal(d.cluster?.status, 'INACTIVE');
    const described = await t.ecs.send(new DescribeClustersCommand({ clusters: ['p1'] }));
    assert.equal(described.clusters?.[0].status, 'INACTIVE');
    const list = await t.ecs.send(new ListClustersCommand({}));
    assert.ok(!list.clusterArns?.some((a) => a.endsWith('/p1')));
    const e = await awsError(() => t.ecs.send(new DeleteClusterCommand({ cluster: 'p1' })));
    assert.equal(e.name, 'ClusterNotFoundException');
    assert.equal(e.message, 'Cluster not found.');
  });
});
