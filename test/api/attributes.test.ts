import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Attribute,
  CreateClusterCommand,
  DeleteAttributesCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  PutAttributesCommand,
} from '@aws-sdk/client-ecs';
import { registerTestInstance } from '../support/container-instances.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const TARGET_NOT_FOUND =
  "The specified target wasn't found. You can view your available container instances with ListContainerInstances. Amazon ECS container instances are cluster-specific and Region-specific.";

describe('attributes', () => {
  let t: TestPlane;
  let arnA: string;
  let arnB: string;
  let idA: string;

  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'attrs' }));
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'other' }));
    arnA = (await registerTestInstance(t.ecs, 'attrs')).containerInstanceArn ?? '';
    // The agent reports built-in attributes at registration; they never count as custom ones.
    const builtIn = [
      { name: 'ecs.os-type', value: 'linux' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.17' },
    ];
    arnB = (await registerTestInstance(t.ecs, 'attrs', { attributes: builtIn })).containerInstanceArn ?? '';
    idA = arnA.split('/').pop() ?? '';
  });
  after(() => t.stop());

  async function customAttributes(arn: string): Promise<Attribute[]> {
    const out = await t.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'attrs', containerInstances: [arn] }),
    );
    return (out.containerInstances?.[0].attributes ?? []).filter(
      (a) => !a.name?.startsWith('ecs.') && !a.name?.startsWith('com.'),
    );
  }

  it('puts attributes by ARN and by short id, echoing them as sent', async () => {
    const sent: Attribute[] = [
      { name: 'stack', value: 'prod', targetId: arnA },
      { name: 'team', value: 'a@b.c: x/y\\z', targetType: 'container-instance', targetId: idA },
      { name: 'flag', targetId: arnB },
    ];
    const out = await t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: sent }));
    assert.deepEqual(out.attributes, sent);
    assert.deepEqual(await customAttributes(arnA), [
      { name: 'stack', value: 'prod' },
      { name: 'team', value: 'a@b.c: x/y\\z' },
    ]);
    assert.deepEqual(await customAttributes(arnB), [{ name: 'flag' }]);
  });

  it('replaces the value of an attribute with the same name', async () => {
    await t.ecs.send(
      new PutAttributesCommand({
        cluster: 'attrs',
        attributes: [{ name: 'stack', value: 'dev', targetId: arnA }],
      }),
    );
    assert.deepEqual(
      (await customAttributes(arnA)).find((a) => a.name === 'stack'),
      { name: 'stack', value: 'dev' },
    );
  });

  it('makes attributes usable in the cluster query language', async () => {
    const out = await t.ecs.send(
      new ListContainerInstancesCommand({ cluster: 'attrs', filter: 'attribute:stack == dev' }),
    );
    assert.deepEqual(out.containerInstanceArns, [arnA]);
  });

  it('lists attributes with the instance ARN as targetId, filtered by name and value', async () => {
    const all = await t.ecs.send(
      new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance' }),
    );
    const custom = (all.attributes ?? []).filter((a) => ['stack', 'team', 'flag'].includes(a.name ?? ''));
    assert.equal(custom.length, 3);
    assert.ok(
      all.attributes?.some((a) => a.name === 'ecs.os-type' && a.value === 'linux' && a.targetId === arnB),
      'built-in attributes are listed too',
    );
    for (const a of all.attributes ?? []) {
      assert.equal(a.targetType, 'container-instance');
      assert.ok([arnA, arnB].includes(a.targetId ?? ''));
    }
    const byName = await t.ecs.send(
      new ListAttributesCommand({
        cluster: 'attrs',
        targetType: 'container-instance',
        attributeName: 'stack',
      }),
    );
    assert.deepEqual(byName.attributes, [
      { name: 'stack', value: 'dev', targetType: 'container-instance', targetId: arnA },
    ]);
    const byValue = await t.ecs.send(
      new ListAttributesCommand({
        cluster: 'attrs',
        targetType: 'container-instance',
        attributeName: 'stack',
        attributeValue: 'prod',
      }),
    );
    assert.deepEqual(byValue.attributes, []);
    const noValue = await t.ecs.send(
      new ListAttributesCommand({
        cluster: 'attrs',
        targetType: 'container-instance',
        attributeName: 'flag',
      }),
    );
    assert.deepEqual(noValue.attributes, [
      { name: 'flag', targetType: 'container-instance', targetId: arnB },
    ]);
  });

  it('pages ListAttributes (1-100, default 100)', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.ecs.send(
        new ListAttributesCommand({
          cluster: 'attrs',
          targetType: 'container-instance',
          maxResults: 2,
          nextToken,
        }),
      );
      assert.ok((page.attributes ?? []).length <= 2);
      for (const a of page.attributes ?? []) seen.push(`${a.targetId}/${a.name}`);
      nextToken = page.nextToken;
    } while (nextToken);
    const all = await t.ecs.send(
      new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance' }),
    );
    assert.deepEqual(
      seen,
      (all.attributes ?? []).map((a) => `${a.targetId}/${a.name}`),
    );
    assert.equal(new Set(seen).size, seen.length);
    for (const maxResults of [0, 101]) {
      const e = await awsError(() =>
        t.ecs.send(
          new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', maxResults }),
        ),
      );
      assert.equal(e.name, 'InvalidParameterException');
    }
  });

  it('checks ListAttributes inputs', async () => {
    const type = await awsError(() =>
      t.ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'task' as never })),
    );
    assert.equal(type.name, 'InvalidParameterException');
    const required = await awsError(() =>
      t.ecs.send(new ListAttributesCommand({ cluster: 'attrs' } as never)),
    );
    assert.equal(required.name, 'InvalidParameterException');
    const value = await awsError(() =>
      t.ecs.send(
        new ListAttributesCommand({
          cluster: 'attrs',
          targetType: 'container-instance',
          attributeValue: 'x',
        }),
      ),
    );
    assert.equal(value.name, 'InvalidParameterException');
    const cluster = await awsError(() =>
      t.ecs.send(new ListAttributesCommand({ cluster: 'nope', targetType: 'container-instance' })),
    );
    assert.deepEqual(cluster, {
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
      status: 400,
    });
  });

  it('returns TargetNotFoundException for unknown instances and instances of other clusters', async () => {
    const unknown = await awsError(() =>
      t.ecs.send(
        new PutAttributesCommand({
          cluster: 'attrs',
          attributes: [
            {
              name: 'x',
              value: 'y',
              targetType: 'container-instance',
              targetId: '0123456789abcdef0123456789abcdef',
            },
          ],
        }),
      ),
    );
    assert.deepEqual(unknown, { name: 'TargetNotFoundException', message: TARGET_NOT_FOUND, status: 400 });
    const elsewhere = await awsError(() =>
      t.ecs.send(
        new PutAttributesCommand({
          cluster: 'other',
          attributes: [{ name: 'x', value: 'y', targetId: arnA }],
        }),
      ),
    );
    assert.equal(elsewhere.name, 'TargetNotFoundException');
    const cluster = await awsError(() =>
      t.ecs.send(new PutAttributesCommand({ cluster: 'nope', attributes: [{ name: 'x', targetId: arnA }] })),
    );
    assert.equal(cluster.name, 'ClusterNotFoundException');
  });

  it('validates names, values, target types and list sizes', async () => {
    const bad: Attribute[] = [
      { name: '', targetId: arnA },
      { name: 'has space', targetId: arnA },
      { name: 'x'.repeat(129), targetId: arnA },
      { name: 'ok', value: ' leading', targetId: arnA },
      { name: 'ok', value: 'trailing ', targetId: arnA },
      { name: 'ok', value: 'bad#char', targetId: arnA },
      { name: 'ok', value: '', targetId: arnA },
      { name: 'ok', value: 'v'.repeat(129), targetId: arnA },
      { name: 'ok', value: 'v', targetId: idA },
      { name: 'ok', value: 'v', targetType: 'task' as never, targetId: idA },
      { name: 'ok', value: 'v' },
      { name: 'ecs.os-type', value: 'windows', targetId: arnA },
    ];
    for (const attribute of bad) {
      const e = await awsError(() =>
        t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [attribute] })),
      );
      assert.equal(e.name, 'InvalidParameterException', JSON.stringify(attribute));
    }
    const empty = await awsError(() =>
      t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [] })),
    );
    assert.equal(empty.name, 'InvalidParameterException');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `n${i}`, targetId: arnB }));
    const tooMany = await awsError(() =>
      t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: eleven })),
    );
    assert.equal(tooMany.name, 'InvalidParameterException');
    const longest = 'n'.repeat(128);
    const ok = await t.ecs.send(
      new PutAttributesCommand({
        cluster: 'attrs',
        attributes: [{ name: longest, value: 'a/b\\c.d-e_f', targetId: arnB }],
      }),
    );
    assert.equal(ok.attributes?.[0].name, longest);
    await t.ecs.send(
      new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: longest, targetId: arnB }] }),
    );
  });

  it('allows at most 10 custom attributes per instance, all or nothing', async () => {
    // arnB has `flag`; nine more fill it up.
    const nine = Array.from({ length: 9 }, (_, i) => ({ name: `c${i}`, value: 'v', targetId: arnB }));
    await t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: nine }));
    assert.equal((await customAttributes(arnB)).length, 10);
    const replace = await t.ecs.send(
      new PutAttributesCommand({
        cluster: 'attrs',
        attributes: [{ name: 'c0', value: 'w', targetId: arnB }],
      }),
    );
    assert.equal(replace.attributes?.[0].value, 'w');
    const e = await awsError(() =>
      t.ecs.send(
        new PutAttributesCommand({
          cluster: 'attrs',
          attributes: [
            { name: 'fine', value: 'v', targetId: arnA },
            { name: 'eleventh', value: 'v', targetId: arnB },
          ],
        }),
      ),
    );
    assert.equal(e.name, 'AttributeLimitExceededException');
    assert.equal(e.status, 400);
    assert.ok(
      !(await customAttributes(arnA)).some((a) => a.name === 'fine'),
      'nothing is written when one target fails',
    );
    const described = await t.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'attrs', containerInstances: [arnB] }),
    );
    assert.equal(
      described.containerInstances?.[0].attributes?.length,
      12,
      '10 custom and 2 built-in attributes',
    );
  });

  it('deletes attributes by name; missing names are not an error', async () => {
    const sent = [
      { name: 'stack', targetId: arnA },
      { name: 'team', targetType: 'container-instance' as const, targetId: idA },
      { name: 'never-set', targetId: arnA },
    ];
    const out = await t.ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: sent }));
    assert.deepEqual(out.attributes, sent);
    assert.deepEqual(await customAttributes(arnA), []);
    const reserved = await awsError(() =>
      t.ecs.send(
        new DeleteAttributesCommand({
          cluster: 'attrs',
          attributes: [{ name: 'ecs.os-type', targetId: arnA }],
        }),
      ),
    );
    assert.equal(reserved.name, 'InvalidParameterException');
    const unknown = await awsError(() =>
      t.ecs.send(
        new DeleteAttributesCommand({
          cluster: 'attrs',
          attributes: [
            { name: 'x', targetType: 'container-instance', targetId: 'ffffffffffffffffffffffffffffffff' },
          ],
        }),
      ),
    );
    assert.equal(unknown.name, 'TargetNotFoundException');
  });

  it('treats deregistered instances as missing targets and leaves them out of ListAttributes', async () => {
    await t.ecs.send(
      new DeregisterContainerInstanceCommand({ cluster: 'attrs', containerInstance: arnA, force: true }),
    );
    const e = await awsError(() =>
      t.ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'x', targetId: arnA }] })),
    );
    assert.equal(e.name, 'TargetNotFoundException');
    const all = await t.ecs.send(
      new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance' }),
    );
    assert.ok((all.attributes ?? []).every((a) => a.targetId === arnB));
  });
});
