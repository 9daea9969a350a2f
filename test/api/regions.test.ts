/**
 * Every region on one endpoint: clients in three regions at once each see only their region's
 * resources (names, ARNs, the default cluster, task definition revisions), an ARN from another
 * region is refused as ECS refuses it, agents run tasks in the region they sign for, and it all
 * survives a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  type ECSClient,
  ListClustersCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { registerTd, simAgents, waitSteady } from '../controllers/support.ts';
import {
  awsError,
  ecsClient,
  startTestPlane,
  TEST_CREDENTIALS,
  type TestPlane,
} from '../support/control-plane.ts';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

describe('every region on one endpoint', () => {
  let t: TestPlane;
  let clients: Record<string, ECSClient>;
  let sim: SimulatedCluster | undefined;

  before(async () => {
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 200 } } });
    clients = Object.fromEntries(REGIONS.map((r) => [r, ecsClient(t.plane.endpoint, r)]));
  });
  after(async () => {
    await sim?.stop();
    for (const c of Object.values(clients ?? {})) c.destroy();
    await t?.stop();
  });

  it('keeps clusters, ARNs and task definitions apart per region, with clients in three regions at once', async () => {
    const created = await Promise.all(
      REGIONS.map((r) => clients[r].send(new CreateClusterCommand({ clusterName: 'demo' }))),
    );
    for (const [i, r] of REGIONS.entries())
      assert.equal(created[i].cluster?.clusterArn, `arn:aws:ecs:${r}:000000000000:cluster/demo`);
    await clients['eu-west-1'].send(new CreateClusterCommand({ clusterName: 'only-in-ireland' }));
    const listed = await Promise.all(REGIONS.map((r) => clients[r].send(new ListClustersCommand({}))));
    assert.deepEqual(listed[0].clusterArns, ['arn:aws:ecs:us-east-1:000000000000:cluster/demo']);
    assert.deepEqual(listed[1].clusterArns?.sort(), [
      'arn:aws:ecs:eu-west-1:000000000000:cluster/demo',
      'arn:aws:ecs:eu-west-1:000000000000:cluster/only-in-ireland',
    ]);
    assert.deepEqual(listed[2].clusterArns, ['arn:aws:ecs:ap-southeast-2:000000000000:cluster/demo']);
    // Revisions count per region, as on AWS.
    const revisions = await Promise.all(
      REGIONS.map((r) =>
        clients[r].send(
          new RegisterTaskDefinitionCommand({
            family: 'web',
            containerDefinitions: [{ name: 'web', image: 'longshore-test/web', memory: 32 }],
          }),
        ),
      ),
    );
    for (const [i, r] of REGIONS.entries())
      assert.equal(
        revisions[i].taskDefinition?.taskDefinitionArn,
        `arn:aws:ecs:${r}:000000000000:task-definition/web:1`,
      );
  });

  it('refuses an ARN from another region as ECS does', async () => {
    const foreign = 'arn:aws:ecs:eu-west-1:000000000000:cluster/only-in-ireland';
    const err = await awsError(() =>
      clients['us-east-1'].send(new DescribeClustersCommand({ clusters: [foreign] })),
    );
    assert.equal(err.name, 'InvalidParameterException');
    assert.match(err.message, /is not in this account and Region \(000000000000, us-east-1\)/);
  });

  it('answers STS in any region, and refuses a name that is no region', async () => {
    for (const region of REGIONS) {
      const sts = new STSClient({
        endpoint: t.plane.endpoint,
        region,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      });
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
      sts.destroy();
    }
    // A sibling service's call in a region ECS never saw makes no ECS region (no store view, no controllers).
    const sts = new STSClient({
      endpoint: t.plane.endpoint,
      region: 'sa-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    assert.match((await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '', /:root$/);
    sts.destroy();
    assert.ok(!t.plane.regions.all().some((ctx) => ctx.partition.region === 'sa-east-1'));
    const bogus = ecsClient(t.plane.endpoint, 'moon-base');
    const err = await awsError(() => bogus.send(new ListClustersCommand({})));
    bogus.destroy();
    assert.equal(err.name, 'InvalidSignatureException');
    assert.match(err.message, /Credential should be scoped to a valid region/);
  });

  it('runs a service in the region its agents signed for, and nowhere else', async () => {
    sim = await simAgents(t.plane.endpoint, 'demo', 2, { region: 'eu-west-1', createCluster: false });
    const td = await registerTd(clients['eu-west-1'], 'regional');
    await clients['eu-west-1'].send(
      new CreateServiceCommand({ cluster: 'demo', serviceName: 'web', taskDefinition: td, desiredCount: 2 }),
    );
    const steady = await waitSteady(clients['eu-west-1'], 'demo', 'web');
    assert.equal(steady.runningCount, 2);
    assert.match(steady.serviceArn ?? '', /^arn:aws:ecs:eu-west-1:/);
    const east = await clients['us-east-1'].send(new ListContainerInstancesCommand({ cluster: 'demo' }));
    assert.deepEqual(east.containerInstanceArns, []);
  });

  it('keeps every region across a restart', async () => {
    await sim?.stop();
    sim = undefined;
    const dataDir = t.dataDir;
    await t.stop({ keepData: true });
    t = await startTestPlane({ dataDir });
    for (const c of Object.values(clients)) c.destroy();
    clients = Object.fromEntries(REGIONS.map((r) => [r, ecsClient(t.plane.endpoint, r)]));
    const west = await clients['eu-west-1'].send(new ListClustersCommand({}));
    assert.equal(west.clusterArns?.length, 2);
    const east = await clients['us-east-1'].send(new ListClustersCommand({}));
    assert.deepEqual(east.clusterArns, ['arn:aws:ecs:us-east-1:000000000000:cluster/demo']);
  });
});
