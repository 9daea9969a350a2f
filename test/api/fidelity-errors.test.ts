/** Error types, texts and their order for the requests ECS refuses, checked through the SDK. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DeregisterTaskDefinitionCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListAccountSettingsCommand,
  ListTagsForResourceCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  RegisterTaskDefinitionCommand,
  type SettingName,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const P = 'arn:aws:ecs:us-east-1:000000000000';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
const error = (name: string, message: string) => ({ name, message, status: 400 });
const CLUSTER_NOT_FOUND = error('ClusterNotFoundException', 'Cluster not found.');
const ROLE_REFUSED = error(
  'InvalidParameterException',
  'You cannot specify an IAM role for services that require a service linked role.',
);

describe('fidelity: errors', () => {
  let t: TestPlane;
  const service = (input: Partial<CreateServiceCommandInput>) =>
    awsError(() =>
      t.ecs.send(
        new CreateServiceCommand({
          cluster: 'c',
          serviceName: 's',
          taskDefinition: 'web',
          desiredCount: 1,
          ...input,
        }),
      ),
    );

  before(async () => {
    t = await startTestPlane({ controllers: false });
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          { name: 'web', image: 'busybox', memory: 64, portMappings: [{ containerPort: 80 }] },
        ],
      }),
    );
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vpc',
        networkMode: 'awsvpc',
        containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
      }),
    );
  });
  after(() => t.stop());

  it('DescribeTasks and DescribeContainerInstances look the cluster up before the list', async () => {
    assert.deepEqual(
      await awsError(() => t.ecs.send(new DescribeTasksCommand({ cluster: 'nope', tasks: [] }))),
      CLUSTER_NOT_FOUND,
    );
    assert.deepEqual(
      await awsError(() =>
        t.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'nope', containerInstances: [] })),
      ),
      CLUSTER_NOT_FOUND,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: [] }))),
      error('InvalidParameterException', 'Tasks cannot be empty.'),
    );
    assert.deepEqual(
      await awsError(() =>
        t.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'c', containerInstances: [] })),
      ),
      error('InvalidParameterException', 'Container Instances cannot be empty.'),
    );
  });

  it('DeregisterTaskDefinition needs a revision', async () => {
    const deregister = (taskDefinition: string) =>
      awsError(() => t.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition })));
    const missing = error('ClientException', 'Revision is missing.');
    assert.deepEqual(await deregister('web'), missing);
    assert.deepEqual(await deregister(`${P}:task-definition/web`), missing);
    assert.deepEqual(
      await deregister('web:foo'),
      error('ClientException', 'Invalid revision number. Number: foo'),
    );
    assert.deepEqual(
      await deregister('web:9'),
      error('ClientException', 'Unable to describe task definition.'),
    );
  });

  it("CreateService's invalid combinations get ECS's types and texts", async () => {
    assert.deepEqual(await service({ cluster: 'nope' }), CLUSTER_NOT_FOUND);
    assert.deepEqual(
      await service({ taskDefinition: 'ghost' }),
      error('ClientException', 'TaskDefinition not found.'),
    );
    assert.deepEqual(
      await service({
        launchType: 'EC2',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
      error(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      ),
    );
    assert.deepEqual(
      await service({ schedulingStrategy: 'DAEMON', desiredCount: 1 }),
      error(
        'InvalidParameterException',
        'The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again',
      ),
    );
    assert.deepEqual(
      await service({
        schedulingStrategy: 'DAEMON',
        desiredCount: undefined,
        placementStrategy: [{ type: 'random' }],
      }),
      error(
        'InvalidParameterException',
        'The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again',
      ),
    );
    assert.deepEqual(
      await service({ desiredCount: undefined }),
      error('InvalidParameterException', 'DesiredCount is missing'),
    );
  });

  it('refuses a service role wherever ECS uses the service-linked role', async () => {
    assert.deepEqual(await service({ role: 'ecsServiceRole' }), ROLE_REFUSED);
    assert.deepEqual(
      await service({
        role: 'ecsServiceRole',
        taskDefinition: 'vpc',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      }),
      ROLE_REFUSED,
    );
    const twoTargetGroups = [80, 80].map((containerPort) => ({
      targetGroupArn: TG,
      containerName: 'web',
      containerPort,
    }));
    assert.deepEqual(await service({ role: 'ecsServiceRole', loadBalancers: twoTargetGroups }), ROLE_REFUSED);
    // With one load balancer the role is accepted; the target group itself does not exist yet.
    const one = await service({ role: 'ecsServiceRole', loadBalancers: twoTargetGroups.slice(0, 1) });
    assert.equal(one.message, `The target group ${TG} does not exist.`);
  });

  it('ListTagsForResource answers ClientException for a missing resource', async () => {
    const list = (resourceArn: string) =>
      awsError(() => t.ecs.send(new ListTagsForResourceCommand({ resourceArn })));
    const notFound = error('ClientException', "The specified resource wasn't found.");
    assert.deepEqual(await list(`${P}:service/c/ghost`), notFound);
    assert.deepEqual(await list(`${P}:task/c/${'a'.repeat(32)}`), notFound);
    assert.deepEqual(await list(`${P}:container-instance/c/${'b'.repeat(32)}`), notFound);
    assert.deepEqual(await list(`${P}:capacity-provider/mine`), notFound);
    assert.deepEqual(
      await list(`${P}:task-definition/ghost:1`),
      error('ClientException', 'Unable to describe task definition.'),
    );
    assert.deepEqual(await list(`${P}:service/nope/ghost`), CLUSTER_NOT_FOUND);
  });

  it('UpdateCluster and UpdateClusterSettings: the cluster first, then the setting', async () => {
    const bad = [{ name: 'containerInsights' as const, value: 'DISABLED' }];
    assert.deepEqual(
      await awsError(() => t.ecs.send(new UpdateClusterCommand({ cluster: 'nope', settings: bad }))),
      CLUSTER_NOT_FOUND,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new UpdateClusterSettingsCommand({ cluster: 'nope', settings: bad }))),
      CLUSTER_NOT_FOUND,
    );
    const badValue = error('InvalidParameterException', "Invalid setting 'value'");
    assert.deepEqual(
      await awsError(() => t.ecs.send(new UpdateClusterCommand({ cluster: 'c', settings: bad }))),
      badValue,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new UpdateClusterSettingsCommand({ cluster: 'c', settings: bad }))),
      badValue,
    );
    const badName = [{ name: 'insights' as 'containerInsights', value: 'enabled' }];
    assert.deepEqual(
      await awsError(() => t.ecs.send(new UpdateClusterCommand({ cluster: 'c', settings: badName }))),
      error('InvalidParameterException', "Invalid setting 'name'"),
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new CreateClusterCommand({ clusterName: 'd', settings: bad }))),
      badValue,
    );
    const ok = await t.ecs.send(
      new UpdateClusterCommand({
        cluster: 'c',
        settings: [{ name: 'containerInsights', value: 'enhanced' }],
      }),
    );
    assert.deepEqual(ok.cluster?.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
  });

  it('account settings: long ARNs stay on; unknown names in ECS enum message', async () => {
    const longArn = error('InvalidParameterException', 'You can no longer disable Long Arn settings');
    const name = 'serviceLongArnFormat';
    assert.deepEqual(
      await awsError(() => t.ecs.send(new PutAccountSettingCommand({ name, value: 'disabled' }))),
      longArn,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new PutAccountSettingDefaultCommand({ name, value: 'disabled' }))),
      longArn,
    );
    const unknown = error(
      'InvalidParameterException',
      'nope should be one of [serviceLongArnFormat,taskLongArnFormat,containerInstanceLongArnFormat,awsvpcTrunking,containerInsights,dualStackIPv6,fargateFIPSMode,tagResourceAuthorization,fargateTaskRetirementWaitPeriod,guardDutyActivate,defaultLogDriverMode,fargateEventWindows]',
    );
    const nope = 'nope' as SettingName;
    assert.deepEqual(
      await awsError(() => t.ecs.send(new PutAccountSettingCommand({ name: nope, value: 'enabled' }))),
      unknown,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new ListAccountSettingsCommand({ name: nope }))),
      unknown,
    );
  });
});
