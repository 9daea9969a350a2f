import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const ARN = 'arn:aws:ecs:us-east-1:000000000000:task-definition';

describe('task definitions', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  const register = (family: string, extra: object = {}) =>
    t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          { name: 'sleep', image: 'busybox', cpu: 10, memory: 10, command: ['sleep', '360'] },
        ],
        ...extra,
      }),
    );

  it('registers revision 1 with the defaults ECS fills in', async () => {
    const out = await register('sleep360', { tags: [{ key: 'app', value: 'demo' }] });
    const td = out.taskDefinition!;
    assert.equal(td.taskDefinitionArn, `${ARN}/sleep360:1`);
    assert.equal(td.revision, 1);
    assert.equal(td.status, 'ACTIVE');
    assert.deepEqual(td.compatibilities, ['EC2']);
    assert.deepEqual(td.volumes, []);
    assert.deepEqual(td.placementConstraints, []);
    assert.equal(td.registeredBy, 'arn:aws:iam::000000000000:root');
    assert.ok(td.registeredAt instanceof Date);
    const c = td.containerDefinitions![0];
    assert.equal(c.essential, true);
    assert.deepEqual(c.portMappings, []);
    assert.deepEqual(c.environment, []);
    assert.deepEqual(c.mountPoints, []);
    assert.deepEqual(c.volumesFrom, []);
    assert.deepEqual(out.tags, [{ key: 'app', value: 'demo' }]);
  });

  it('numbers revisions and never reuses them', async () => {
    assert.equal((await register('sleep360')).taskDefinition?.revision, 2);
    await t.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'sleep360:2' }));
    await t.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['sleep360:2'] }));
    assert.equal((await register('sleep360')).taskDefinition?.revision, 3);
  });

  it('describes by family (latest ACTIVE), family:revision and ARN, with tags on request', async () => {
    const latest = await t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sleep360' }));
    assert.equal(latest.taskDefinition?.revision, 3);
    assert.equal(latest.tags, undefined);
    const byRev = await t.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'sleep360:1', include: ['TAGS'] }),
    );
    assert.deepEqual(byRev.tags, [{ key: 'app', value: 'demo' }]);
    const byArn = await t.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${ARN}/sleep360:1` }),
    );
    assert.equal(byArn.taskDefinition?.revision, 1);
    const deleted = await t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sleep360:2' }));
    assert.equal(deleted.taskDefinition?.status, 'DELETE_IN_PROGRESS');
    const e = await awsError(() => t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })));
    assert.equal(e.name, 'ClientException');
    assert.equal(e.message, 'Unable to describe task definition.');
  });

  it('lists revisions by family, status and sort, and families by prefix and status', async () => {
    await register('web');
    await register('web');
    await t.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    const asc = await t.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'sleep360' }));
    assert.deepEqual(asc.taskDefinitionArns, [`${ARN}/sleep360:1`, `${ARN}/sleep360:3`]);
    const desc = await t.ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2 }));
    assert.deepEqual(desc.taskDefinitionArns, [`${ARN}/web:2`, `${ARN}/sleep360:3`]);
    const next = await t.ecs.send(
      new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2, nextToken: desc.nextToken }),
    );
    assert.deepEqual(next.taskDefinitionArns, [`${ARN}/sleep360:1`]);
    const inactive = await t.ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    assert.deepEqual(inactive.taskDefinitionArns, [`${ARN}/web:1`]);
    const families = await t.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'sl' }));
    assert.deepEqual(families.families, ['sleep360']);
    await t.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    const gone = await t.ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    assert.deepEqual(gone.families, ['sleep360']);
    const all = await t.ecs.send(new ListTaskDefinitionFamiliesCommand({ status: 'ALL' }));
    assert.deepEqual(all.families, ['sleep360', 'web']);
  });

  it('refuses to delete ACTIVE revisions and reports unknown ones', async () => {
    const out = await t.ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: ['sleep360:3', 'ghost:1'] }),
    );
    assert.deepEqual(out.taskDefinitions, []);
    assert.equal(out.failures?.length, 2);
    assert.match(out.failures?.[0].reason ?? '', /still in ACTIVE status/);
  });

  it('rejects invalid definitions with ECS errors', async () => {
    const noImage = await awsError(() =>
      t.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'bad',
          containerDefinitions: [{ name: 'x', memory: 64 }],
        }),
      ),
    );
    assert.equal(noImage.name, 'ClientException');
    const badFamily = await awsError(() => register('bad family'));
    assert.equal(badFamily.name, 'ClientException');
    const fargate = await awsError(() =>
      register('fg', {
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '4096',
      }),
    );
    assert.equal(fargate.name, 'ClientException');
    assert.match(fargate.message, /No Fargate configuration exists/);
  });
});
