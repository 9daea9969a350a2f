/** Where tasks run: Fargate and capacity provider strategies checked alike by RunTask, CreateService and UpdateService; Managed Instances refused; ECS's launch type enum check. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  ListServicesCommand,
  ListTasksCommand,
  type LaunchType,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const VPC = { awsvpcConfiguration: { subnets: ['subnet-12344321'] } };
/** The subnet in VPC does not exist: what ECS says before it creates anything. */
const NO_SUBNET = {
  name: 'InvalidParameterException',
  message:
    "Error retrieving subnet information for [subnet-12344321]: The subnet ID 'subnet-12344321' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
  status: 400,
};
const MANAGED_REFUSED = {
  name: 'UnsupportedFeatureException',
  message:
    'Longshore does not run MANAGED_INSTANCES tasks yet; use launchType EC2 (the default) on container instances, or FARGATE.',
  status: 400,
};
const BAD_LAUNCH_TYPE = {
  name: 'InvalidParameterException',
  message: 'launch type should be one of [EC2,FARGATE,EXTERNAL,FMI,MANAGED_INSTANCES]',
  status: 400,
};

describe('fidelity: launch targets', () => {
  let t: TestPlane;
  const service = (input: Partial<CreateServiceCommandInput>) =>
    t.ecs.send(
      new CreateServiceCommand({
        cluster: 'cp',
        serviceName: 'svc',
        taskDefinition: 'fg',
        desiredCount: 1,
        networkConfiguration: VPC,
        ...input,
      }),
    );

  before(async () => {
    t = await startTestPlane({ controllers: false });
    await t.ecs.send(
      new CreateClusterCommand({
        clusterName: 'cp',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
    );
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'fg',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'busybox' }],
      }),
    );
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
      }),
    );
  });
  after(() => t.stop());

  it("checks a FARGATE task's subnets in RunTask and CreateService alike", async () => {
    const run = await awsError(() =>
      t.ecs.send(
        new RunTaskCommand({
          cluster: 'plain',
          taskDefinition: 'fg',
          launchType: 'FARGATE',
          networkConfiguration: VPC,
        }),
      ),
    );
    assert.deepEqual(run, NO_SUBNET);
    assert.deepEqual(await awsError(() => service({ launchType: 'FARGATE' })), NO_SUBNET);
  });

  it('checks FARGATE and FARGATE_SPOT strategies, given or the cluster default, the same way', async () => {
    for (const capacityProvider of ['FARGATE', 'FARGATE_SPOT']) {
      const e = await awsError(() =>
        service({ capacityProviderStrategy: [{ capacityProvider, weight: 1 }] }),
      );
      assert.deepEqual(e, NO_SUBNET, capacityProvider);
    }
    assert.deepEqual(await awsError(() => service({})), NO_SUBNET);
    const run = await awsError(() =>
      t.ecs.send(new RunTaskCommand({ cluster: 'cp', taskDefinition: 'fg', networkConfiguration: VPC })),
    );
    assert.deepEqual(run, NO_SUBNET);
    const listed = await t.ecs.send(new ListServicesCommand({ cluster: 'cp' }));
    assert.deepEqual(listed.serviceArns, []);
  });

  it('refuses Managed Instances, which Longshore does not run', async () => {
    const run = await awsError(() =>
      t.ecs.send(
        new RunTaskCommand({ cluster: 'plain', taskDefinition: 'web', launchType: 'MANAGED_INSTANCES' }),
      ),
    );
    assert.deepEqual(run, MANAGED_REFUSED);
  });

  it('answers ECS errors first: an invalid request is never called unsupported', async () => {
    const web = await awsError(() => service({ taskDefinition: 'web', launchType: 'FARGATE' }));
    assert.deepEqual(web, {
      name: 'InvalidParameterException',
      message: 'Task definition does not support launch_type FARGATE.',
      status: 400,
    });
    const network = await awsError(() => service({ launchType: 'FARGATE', networkConfiguration: undefined }));
    assert.equal(
      network.message,
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  });

  it('still runs EC2 tasks and services on a cluster whose default strategy is Fargate', async () => {
    const run = await awsError(() =>
      t.ecs.send(new RunTaskCommand({ cluster: 'cp', taskDefinition: 'web', launchType: 'EC2' })),
    );
    assert.deepEqual(run, {
      name: 'InvalidParameterException',
      message: 'No Container Instances were found in your cluster.',
      status: 400,
    });
    const created = await service({
      serviceName: 'ec2',
      taskDefinition: 'web',
      launchType: 'EC2',
      networkConfiguration: undefined,
    });
    assert.equal(created.service?.launchType, 'EC2');
  });

  it('checks the subnets of an UpdateService that moves the service to Fargate capacity', async () => {
    const e = await awsError(() =>
      t.ecs.send(
        new UpdateServiceCommand({
          cluster: 'cp',
          service: 'ec2',
          taskDefinition: 'fg',
          networkConfiguration: VPC,
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
          forceNewDeployment: true,
        }),
      ),
    );
    assert.deepEqual(e, NO_SUBNET);
  });

  it("checks launchType against ECS's enum with ECS's message, before the cluster", async () => {
    const bad = 'Fargate' as LaunchType;
    const run = await awsError(() =>
      t.ecs.send(new RunTaskCommand({ cluster: 'nope', taskDefinition: 'web', launchType: bad })),
    );
    assert.deepEqual(run, BAD_LAUNCH_TYPE);
    assert.deepEqual(await awsError(() => service({ launchType: bad })), BAD_LAUNCH_TYPE);
    assert.deepEqual(
      await awsError(() => t.ecs.send(new ListServicesCommand({ cluster: 'cp', launchType: bad }))),
      BAD_LAUNCH_TYPE,
    );
    assert.deepEqual(
      await awsError(() => t.ecs.send(new ListTasksCommand({ cluster: 'cp', launchType: bad }))),
      BAD_LAUNCH_TYPE,
    );
  });
});
