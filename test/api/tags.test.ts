import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListTagsForResourceCommand,
  type Tag,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import {
  keys,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord,
} from '../../src/ecs/model/records.ts';
import { Kind } from '../../src/store/store.ts';
import { registerTestInstance } from '../support/container-instances.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const P = 'arn:aws:ecs:us-east-1:000000000000';
const CLUSTER = `${P}:cluster/tagged`;
const TASK_DEF = `${P}:task-definition/web:1`;
const TASK_ID = '0123456789abcdef0123456789abcdef';
const TASK = `${P}:task/tagged/${TASK_ID}`;
const SERVICE = `${P}:service/tagged/api`;
const INACTIVE = 'The specified cluster is inactive. Specify an active cluster and try again.';
const NOT_FOUND = "The specified resource wasn't found.";

/** Task definitions, tasks and services are written straight into the store, shaped as records.ts says. */
async function seedRecords(t: TestPlane): Promise<void> {
  const now = Date.now() / 1000;
  const taskDefinition: TaskDefinitionRecord = {
    taskDefinition: {
      taskDefinitionArn: TASK_DEF,
      family: 'web',
      revision: 1,
      status: 'ACTIVE',
      containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
      registeredAt: now,
    },
    tags: [{ key: 'aws:cloudformation:stack-name', value: 'stack' }],
  };
  const task: TaskRecord = {
    task: {
      taskArn: TASK,
      clusterArn: CLUSTER,
      taskDefinitionArn: TASK_DEF,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'EC2',
      createdAt: now,
      containers: [],
      tags: [{ key: 'owner', value: 'ops' }],
      version: 1,
    },
    clusterName: 'tagged',
    assignmentVersion: 1,
    reportSeq: 0,
  };
  const stopped: TaskRecord = {
    ...task,
    task: {
      ...task.task,
      taskArn: `${P}:task/tagged/ffffffffffffffffffffffffffffffff`,
      lastStatus: 'STOPPED',
    },
    expiresAt: Date.now() - 1000,
  };
  const service: ServiceRecord = {
    service: {
      serviceArn: SERVICE,
      serviceName: 'api',
      clusterArn: CLUSTER,
      status: 'ACTIVE',
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      taskDefinition: TASK_DEF,
      createdAt: now,
    },
    clusterName: 'tagged',
  };
  await t.plane.store.transact(async (tx) => {
    await tx.put(Kind.TaskDefinition, keys.taskDefinition('web', 1), taskDefinition, 'absent');
    await tx.put(Kind.Task, keys.task('tagged', TASK_ID), task, 'absent');
    await tx.put(Kind.Task, keys.task('tagged', 'ffffffffffffffffffffffffffffffff'), stopped, 'absent');
    await tx.put(Kind.Service, keys.service('tagged', 'api'), service, 'absent');
  });
}

describe('tags', () => {
  let t: TestPlane;
  let instanceArn: string;

  before(async () => {
    t = await startTestPlane();
    await t.ecs.send(
      new CreateClusterCommand({ clusterName: 'tagged', tags: [{ key: 'team', value: 'a' }] }),
    );
    instanceArn =
      (await registerTestInstance(t.ecs, 'tagged', { tags: [{ key: 'rack', value: 'r1' }] }))
        .containerInstanceArn ?? '';
    await seedRecords(t);
  });
  after(() => t.stop());

  const list = async (resourceArn: string) =>
    (await t.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags;
  const tag = (resourceArn: string, tags: Tag[]) => t.ecs.send(new TagResourceCommand({ resourceArn, tags }));
  const untag = (resourceArn: string, tagKeys: string[]) =>
    t.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys }));

  it('tags a cluster: new keys are added, same keys replaced, and DescribeClusters shows them', async () => {
    assert.deepEqual(await list(CLUSTER), [{ key: 'team', value: 'a' }]);
    const out = await tag(CLUSTER, [
      { key: 'team', value: 'b' },
      { key: 'env', value: 'prod' },
    ]);
    assert.deepEqual(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(await list(CLUSTER), [
      { key: 'team', value: 'b' },
      { key: 'env', value: 'prod' },
    ]);
    const described = await t.ecs.send(
      new DescribeClustersCommand({ clusters: ['tagged'], include: ['TAGS'] }),
    );
    assert.deepEqual(described.clusters?.[0].tags, await list(CLUSTER));
  });

  it('untags: removes the keys given and ignores keys that are not there', async () => {
    await untag(CLUSTER, ['env', 'never-set']);
    assert.deepEqual(await list(CLUSTER), [{ key: 'team', value: 'b' }]);
    await untag(CLUSTER, ['never-set']);
    assert.deepEqual(await list(CLUSTER), [{ key: 'team', value: 'b' }]);
  });

  it('tags a container instance', async () => {
    assert.deepEqual(await list(instanceArn), [{ key: 'rack', value: 'r1' }]);
    await tag(instanceArn, [{ key: 'zone', value: 'z1' }]);
    await untag(instanceArn, ['rack']);
    assert.deepEqual(await list(instanceArn), [{ key: 'zone', value: 'z1' }]);
    const described = await t.ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'tagged',
        containerInstances: [instanceArn],
        include: ['TAGS'],
      }),
    );
    assert.deepEqual(described.containerInstances?.[0].tags, [{ key: 'zone', value: 'z1' }]);
  });

  it('tags a task definition revision (family:revision)', async () => {
    await tag(TASK_DEF, [{ key: 'app', value: 'web' }]);
    assert.deepEqual(await list(TASK_DEF), [
      { key: 'aws:cloudformation:stack-name', value: 'stack' },
      { key: 'app', value: 'web' },
    ]);
    const noRevision = await awsError(() => list(`${P}:task-definition/web`));
    assert.equal(noRevision.name, 'InvalidParameterException');
    const missing = await awsError(() => tag(`${P}:task-definition/web:2`, [{ key: 'a', value: 'b' }]));
    assert.deepEqual(missing, { name: 'ResourceNotFoundException', message: NOT_FOUND, status: 400 });
  });

  it('tags a task, and DescribeTasks include TAGS shows it', async () => {
    await tag(TASK, [{ key: 'run', value: '42' }]);
    assert.deepEqual(await list(TASK), [
      { key: 'owner', value: 'ops' },
      { key: 'run', value: '42' },
    ]);
    const described = await t.ecs.send(
      new DescribeTasksCommand({ cluster: 'tagged', tasks: [TASK], include: ['TAGS'] }),
    );
    assert.deepEqual(described.tasks?.[0].tags, await list(TASK));
    const expired = await awsError(() => list(`${P}:task/tagged/ffffffffffffffffffffffffffffffff`));
    assert.deepEqual(expired, { name: 'ClientException', message: NOT_FOUND, status: 400 });
  });

  it('tags a service', async () => {
    assert.deepEqual(await list(SERVICE), []);
    await tag(SERVICE, [
      { key: 'tier', value: 'api' },
      { key: 'empty', value: '' },
    ]);
    assert.deepEqual(await list(SERVICE), [
      { key: 'tier', value: 'api' },
      { key: 'empty', value: '' },
    ]);
    await untag(SERVICE, ['tier', 'empty']);
    assert.deepEqual(await list(SERVICE), []);
  });

  it('answers a missing resource: ResourceNotFound to tag and untag, ClientException to list', async () => {
    const resources = [
      `${P}:service/tagged/nope`,
      `${P}:task/tagged/${'a'.repeat(32)}`,
      `${P}:container-instance/tagged/${'b'.repeat(32)}`,
    ];
    for (const resourceArn of resources) {
      assert.deepEqual(await awsError(() => tag(resourceArn, [{ key: 'k', value: 'v' }])), {
        name: 'ResourceNotFoundException',
        message: NOT_FOUND,
        status: 400,
      });
      assert.equal((await awsError(() => untag(resourceArn, ['k']))).name, 'ResourceNotFoundException');
      assert.deepEqual(await awsError(() => list(resourceArn)), {
        name: 'ClientException',
        message: NOT_FOUND,
        status: 400,
      });
    }
  });

  it('answers ClusterNotFoundException for a cluster that never existed', async () => {
    for (const resourceArn of [
      `${P}:cluster/ghost`,
      `${P}:service/ghost/api`,
      `${P}:task/ghost/${TASK_ID}`,
    ]) {
      assert.deepEqual(await awsError(() => list(resourceArn)), {
        name: 'ClusterNotFoundException',
        message: 'Cluster not found.',
        status: 400,
      });
      assert.equal(
        (await awsError(() => tag(resourceArn, [{ key: 'k', value: 'v' }]))).name,
        'ClusterNotFoundException',
      );
    }
  });

  it('answers ECS inactive-cluster error for a deleted cluster and what was in it', async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'gone' }));
    await t.ecs.send(new DeleteClusterCommand({ cluster: 'gone' }));
    for (const resourceArn of [`${P}:cluster/gone`, `${P}:service/gone/api`]) {
      assert.deepEqual(await awsError(() => list(resourceArn)), {
        name: 'InvalidParameterException',
        message: INACTIVE,
        status: 400,
      });
      assert.equal((await awsError(() => tag(resourceArn, [{ key: 'k', value: 'v' }]))).message, INACTIVE);
      assert.equal((await awsError(() => untag(resourceArn, ['k']))).message, INACTIVE);
    }
  });

  it('refuses short (old-format) ARNs with ECS message', async () => {
    for (const resourceArn of [
      `${P}:service/api`,
      `${P}:task/${TASK_ID}`,
      `${P}:container-instance/${'b'.repeat(32)}`,
    ]) {
      assert.deepEqual(await awsError(() => tag(resourceArn, [{ key: 'k', value: 'v' }])), {
        name: 'InvalidParameterException',
        message: 'Long arn format must be used for tagging operations',
        status: 400,
      });
    }
  });

  it('rejects malformed ARNs, other accounts and Regions, and untaggable resource types', async () => {
    const bad = [
      'tagged',
      'arn:aws:ecs:us-east-1:000000000000:cluster',
      'arn:aws:s3:::bucket',
      'arn:aws:ecs:eu-west-1:000000000000:cluster/tagged',
      'arn:aws:ecs:us-east-1:111111111111:cluster/tagged',
      `${P}:task-set/tagged/api/ecs-svc/1234567890123456789`,
      `${P}:capacity-provider/FARGATE`,
    ];
    for (const resourceArn of bad) {
      assert.equal((await awsError(() => list(resourceArn))).name, 'InvalidParameterException', resourceArn);
      assert.equal(
        (await awsError(() => tag(resourceArn, [{ key: 'k', value: 'v' }]))).name,
        'InvalidParameterException',
        resourceArn,
      );
    }
    const required = await awsError(() =>
      t.ecs.send(new TagResourceCommand({ resourceArn: CLUSTER } as never)),
    );
    assert.equal(required.name, 'InvalidParameterException');
  });

  it('validates tags: key and value length, characters, the aws: prefix, duplicates', async () => {
    const bad: Tag[][] = [
      [{ key: '', value: 'v' }],
      [{ key: 'k'.repeat(129), value: 'v' }],
      [{ key: 'k', value: 'v'.repeat(257) }],
      [{ key: 'bad#key', value: 'v' }],
      [{ key: 'aws:owner', value: 'v' }],
      [{ key: 'AWS:owner', value: 'v' }],
      [
        { key: 'dup', value: '1' },
        { key: 'dup', value: '2' },
      ],
    ];
    for (const tags of bad) {
      assert.equal(
        (await awsError(() => tag(CLUSTER, tags))).name,
        'InvalidParameterException',
        JSON.stringify(tags),
      );
    }
    assert.equal(
      (await awsError(() => untag(CLUSTER, ['aws:cloudformation:stack-name']))).name,
      'InvalidParameterException',
    );
    assert.equal((await awsError(() => untag(CLUSTER, ['']))).name, 'InvalidParameterException');
    await tag(CLUSTER, [
      { key: 'k'.repeat(128), value: 'v'.repeat(256) },
      { key: 'ünïcode + - = . _ : / @', value: 'ok' },
    ]);
    await untag(CLUSTER, ['k'.repeat(128), 'ünïcode + - = . _ : / @']);
  });

  it('allows at most 50 tags on the merged set, not counting aws: tags', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    const tooMany = await awsError(() => tag(SERVICE, [...fifty, { key: 'k50', value: '50' }]));
    assert.equal(tooMany.name, 'InvalidParameterException');
    await tag(SERVICE, fifty.slice(0, 45));
    const over = await awsError(() =>
      tag(SERVICE, fifty.slice(40, 50).concat([{ key: 'extra', value: 'x' }])),
    );
    assert.equal(over.name, 'InvalidParameterException');
    assert.equal((await list(SERVICE))?.length, 45, 'a refused TagResource changes nothing');
    await tag(SERVICE, fifty.slice(40, 50));
    assert.equal((await list(SERVICE))?.length, 50);
    await tag(SERVICE, [{ key: 'k0', value: 'replaced' }]);
    const full = await awsError(() => tag(SERVICE, [{ key: 'one-more', value: 'x' }]));
    assert.equal(full.name, 'InvalidParameterException');
    // The task definition carries an aws: tag, which does not count against the 50.
    await tag(TASK_DEF, fifty.slice(0, 49));
    assert.equal((await list(TASK_DEF))?.length, 51);
  });
});
