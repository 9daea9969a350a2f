/**
 * Explicit JSON nulls, fractional and huge numbers, and blank cluster names, each answered as ECS
 * answers them (see src/aws/input/ for the sources). The SDK never sends a null (its JSON codec
 * drops null members and null list items), so nulls go as raw signed requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { ECS_TARGET_PREFIX } from '../../src/ecs/ecs-service.ts';
import { LONGSHORE_TARGET_PREFIX } from '../../src/longshore-api/longshore-service.ts';
import { registerTestInstance } from '../support/container-instances.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { requiredCount, rootShape, validValue } from '../support/fuzz/shapes.ts';
import { type RawResponse, rawEcs } from '../support/raw-request.ts';

const ARN = 'arn:aws:ecs:us-east-1:000000000000';

describe('null members, null list items, numbers and blank names', () => {
  let t: TestPlane;
  let instanceArn = '';
  const raw = (op: string, body: unknown) => rawEcs(t.plane.endpoint, op, { body: JSON.stringify(body) });
  const error = (res: RawResponse) => ({
    status: res.status,
    type: res.body.__type,
    message: res.body.message,
  });

  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  describe('with no default cluster', () => {
    it('answers `cluster: null` exactly as an absent cluster, on every operation that has one', async () => {
      const ecs = t.plane.services.loaded.find((s) => s.targetPrefix === ECS_TARGET_PREFIX)!;
      const checked: string[] = [];
      for (const operation of ecs.operations.values()) {
        const shape = rootShape(operation.input!);
        const names = [...shape.structIterator()].map(([n]) => n);
        const index = names.indexOf('cluster');
        if (index === -1 || index < requiredCount(shape)) continue;
        const body = validValue(shape, '', () => undefined) as Record<string, unknown>;
        const absent = await raw(operation.name, body);
        const nulled = await raw(operation.name, { ...body, cluster: null });
        assert.ok(nulled.status < 500, `${operation.name}: ${JSON.stringify(nulled.body)}`);
        assert.deepEqual(error(nulled), error(absent), operation.name);
        checked.push(operation.name);
      }
      // The 11 that answered 500 before, among the 20 or so operations with an optional cluster.
      for (const op of [
        'ListServices',
        'ListTasks',
        'ListContainerInstances',
        'DescribeServices',
        'DescribeTasks',
        'DescribeContainerInstances',
        'RunTask',
        'StopTask',
        'UpdateService',
        'DeleteService',
        'StartTask',
      ]) {
        assert.ok(checked.includes(op), op);
      }
    });

    it('answers ClusterNotFoundException for `cluster: null` when `default` does not exist', async () => {
      for (const [op, body] of [
        ['ListServices', { cluster: null }],
        ['ListTasks', { cluster: null }],
        ['DescribeTasks', { cluster: null, tasks: ['t1'] }],
        ['StopTask', { cluster: null, task: 't1' }],
        ['DeleteService', { cluster: null, service: 's1' }],
      ] as const) {
        assert.deepEqual(error(await raw(op, body)), {
          status: 400,
          type: 'ClusterNotFoundException',
          message: 'Cluster not found.',
        });
      }
    });
  });

  describe('with clusters, an instance and a task definition', () => {
    before(async () => {
      await t.ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
      await t.ecs.send(new CreateClusterCommand({ clusterName: 'c1' }));
      instanceArn = (await registerTestInstance(t.ecs, 'c1')).containerInstanceArn ?? '';
      await t.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }],
        }),
      );
      await t.ecs.send(
        new CreateServiceCommand({
          cluster: 'c1',
          serviceName: 'svc',
          taskDefinition: 'web',
          desiredCount: 0,
        }),
      );
    });

    it('reads `cluster: null` as the default cluster', async () => {
      const res = await raw('ListServices', { cluster: null });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { serviceArns: [] });
      const tasks = await raw('ListTasks', { cluster: null, family: null, desiredStatus: null });
      assert.deepEqual(tasks.body, { taskArns: [] });
    });

    it('refuses a null required member as missing', async () => {
      for (const [op, member] of [
        ['RunTask', 'taskDefinition'],
        ['DescribeTaskDefinition', 'taskDefinition'],
        ['GetTaskProtection', 'cluster'],
      ] as const) {
        assert.deepEqual(error(await raw(op, { [member]: null })), {
          status: 400,
          type: 'InvalidParameterException',
          message: `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
        });
      }
    });

    it('drops null items of clusters, services and tasks', async () => {
      const clusters = await raw('DescribeClusters', { clusters: [null, 'c1', null] });
      assert.equal(clusters.status, 200);
      assert.deepEqual(
        (clusters.body.clusters as { clusterName: string }[]).map((c) => c.clusterName),
        ['c1'],
      );
      assert.deepEqual(clusters.body.failures, []);
      const services = await raw('DescribeServices', { cluster: 'c1', services: [null, 'svc'] });
      assert.deepEqual(
        (services.body.services as { serviceName: string }[]).map((s) => s.serviceName),
        ['svc'],
      );
      // Only nulls: the list is empty, as if the caller sent [].
      assert.deepEqual(error(await raw('DescribeServices', { cluster: 'c1', services: [null] })), {
        status: 400,
        type: 'InvalidParameterException',
        message: 'Services cannot be empty.',
      });
      assert.deepEqual(error(await raw('DescribeTasks', { cluster: 'c1', tasks: [null] })), {
        status: 400,
        type: 'InvalidParameterException',
        message: 'Tasks cannot be empty.',
      });
    });

    it('drops null tags, settings and tag keys', async () => {
      const created = await raw('CreateCluster', {
        clusterName: 'tagged',
        tags: [null, { key: 'team', value: 'a' }],
        settings: [null],
      });
      assert.equal(created.status, 200);
      const cluster = created.body.cluster as Record<string, unknown>;
      assert.deepEqual(cluster.tags, [{ key: 'team', value: 'a' }]);
      const empty = await raw('CreateCluster', { clusterName: 'no-settings', settings: [] });
      assert.deepEqual(cluster.settings, (empty.body.cluster as Record<string, unknown>).settings);
      const resourceArn = `${ARN}:cluster/tagged`;
      const tagged = await raw('TagResource', { resourceArn, tags: [null, { key: 'b', value: '1' }] });
      assert.equal(tagged.status, 200);
      assert.equal((await raw('UntagResource', { resourceArn, tagKeys: [null, 'team'] })).status, 200);
      const { tags } = await t.ecs.send(new ListTagsForResourceCommand({ resourceArn }));
      assert.deepEqual(tags, [{ key: 'b', value: '1' }]);
    });

    it('drops null attributes', async () => {
      const put = await raw('PutAttributes', {
        cluster: 'c1',
        attributes: [null, { name: 'stack', value: 'blue', targetId: instanceArn }],
      });
      assert.equal(put.status, 200);
      assert.deepEqual(put.body.attributes, [{ name: 'stack', value: 'blue', targetId: instanceArn }]);
    });

    it('drops null placement strategies and container overrides, and a null filter', async () => {
      // No agent is connected, so RunTask answers an AGENT failure either way; the two must agree.
      const run = (placementStrategy: unknown[], containerOverrides: unknown[]) =>
        raw('RunTask', {
          cluster: 'c1',
          taskDefinition: 'web',
          placementStrategy,
          overrides: { containerOverrides },
        });
      const nulls = await run([null], [null, { name: 'app', command: ['true'] }]);
      assert.equal(nulls.status, 200, JSON.stringify(nulls.body));
      assert.deepEqual(nulls.body, (await run([], [{ name: 'app', command: ['true'] }])).body);
      const list = await raw('ListContainerInstances', { cluster: 'c1', filter: null });
      assert.deepEqual(list.body, { containerInstanceArns: [instanceArn] });
    });

    it('ignores unknown members instead of storing them', async () => {
      const res = await raw('CreateCluster', {
        clusterName: 'extra',
        notAMember: true,
        tags: [{ key: 'k', value: 'v', notAMemberEither: 1 }],
      });
      assert.equal(res.status, 200);
      const listed = await raw('ListTagsForResource', { resourceArn: `${ARN}:cluster/extra` });
      assert.deepEqual(listed.body, { tags: [{ key: 'k', value: 'v' }] });
    });

    it('reads a fractional desiredCount as an Integer: 1.5 is 1', async () => {
      await t.ecs.send(
        new CreateServiceCommand({
          cluster: 'c1',
          serviceName: 'half',
          taskDefinition: 'web',
          desiredCount: 1.5,
        }),
      );
      const { services } = await t.ecs.send(
        new DescribeServicesCommand({ cluster: 'c1', services: ['half'] }),
      );
      assert.equal(services?.[0]?.desiredCount, 1);
    });

    it('saturates stopTimeout: 1e308 at 2147483647, which Fargate then refuses', async () => {
      const { taskDefinition } = await t.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'slow-stop',
          containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, stopTimeout: 1e308 }],
        }),
      );
      assert.equal(taskDefinition?.containerDefinitions?.[0]?.stopTimeout, 2_147_483_647);
      const e = await awsError(() =>
        t.ecs.send(
          new RegisterTaskDefinitionCommand({
            family: 'slow-stop-fargate',
            requiresCompatibilities: ['FARGATE'],
            networkMode: 'awsvpc',
            cpu: '256',
            memory: '512',
            containerDefinitions: [{ name: 'app', image: 'busybox', stopTimeout: 1e308 }],
          }),
        ),
      );
      assert.deepEqual(e, {
        name: 'ClientException',
        message:
          "Invalid 'stopTimeout' setting for container 'app'. The valid values for Fargate are 2-120 seconds.",
        status: 400,
      });
    });

    it('refuses a blank cluster instead of reading it as default', async () => {
      for (const cluster of ['', '  ']) {
        const e = await awsError(() => t.ecs.send(new ListServicesCommand({ cluster })));
        assert.deepEqual(e, {
          name: 'InvalidParameterException',
          message: 'Cluster can not be blank.',
          status: 400,
        });
      }
    });
  });

  describe("Coral's SerializationException texts", () => {
    const cases: [string, unknown, string][] = [
      ['ListClusters', { maxResults: 'ten' }, 'STRING_VALUE can not be converted to an Integer'],
      ['ListClusters', { maxResults: true }, 'TRUE_VALUE can not be converted to an Integer'],
      ['ListClusters', { maxResults: {} }, 'Start of structure or map found where not expected.'],
      ['ListServices', { cluster: 5 }, 'NUMBER_VALUE can not be converted to a String'],
      ['ListServices', { cluster: ['c1'] }, 'Start of list found where not expected'],
      ['DescribeClusters', { clusters: 'c1' }, 'Expected list or null'],
      ['CreateService', { serviceName: 's', deploymentConfiguration: 5 }, 'Expected null'],
      [
        'RegisterTaskDefinition',
        { family: 'f', containerDefinitions: [{ dockerLabels: 'x' }] },
        'Expected map or null',
      ],
      [
        'RegisterContainerInstance',
        { totalResources: [{ name: 'CPU', type: 'LONG', longValue: 2 ** 63 }] },
        'NUMBER_VALUE can not be converted to a Long',
      ],
      [
        'CreateCluster',
        { clusterName: 'b', settings: [{ name: false }] },
        'FALSE_VALUE can not be converted to a String',
      ],
    ];
    for (const [op, body, message] of cases) {
      it(`${op} ${JSON.stringify(body)}: ${message}`, async () => {
        assert.deepEqual(error(await raw(op, body)), {
          status: 400,
          type: 'SerializationException',
          message,
        });
      });
    }
  });

  it("checks ExplainPlacement's member types too (Longshore's own API)", async () => {
    const res = await rawEcs(t.plane.endpoint, 'ExplainPlacement', {
      target: `${LONGSHORE_TARGET_PREFIX}.ExplainPlacement`,
      body: JSON.stringify({ cluster: -1, taskDefinition: 'web' }),
    });
    assert.deepEqual(error(res), {
      status: 400,
      type: 'SerializationException',
      message: 'NUMBER_VALUE can not be converted to a String',
    });
    const nulls = await rawEcs(t.plane.endpoint, 'ExplainPlacement', {
      target: `${LONGSHORE_TARGET_PREFIX}.ExplainPlacement`,
      body: JSON.stringify({
        cluster: 'c1',
        taskDefinition: 'web',
        overrides: null,
        placementStrategy: [null],
      }),
    });
    assert.equal(nulls.status, 200, JSON.stringify(nulls.body));
  });
});
