import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  type CreateServiceCommandInput,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListServicesByNamespaceCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { Kind } from '../../src/store/store.ts';
import { defaultSecurityGroupOf, ensureDefaultVpc, listSubnets } from '../../src/ec2/model/index.ts';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';
const ECS_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}`;
const SLR = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
const DEPLOYMENT_ID = /^ecs-svc\/[1-9]\d{18}$/;
const TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web/0123456789abcdef`;
/** A default subnet and the default group of the region's default VPC (filled in `before`). */
const VPC = { awsvpcConfiguration: { subnets: [] as string[], securityGroups: [] as string[] } };

describe('services', () => {
  let t: TestPlane;
  const create = (input: Partial<CreateServiceCommandInput>) =>
    t.ecs.send(
      new CreateServiceCommand({
        cluster: 'svc',
        serviceName: 'x',
        taskDefinition: 'web',
        desiredCount: 1,
        ...input,
      }),
    );
  const describeOne = async (name: string, cluster = 'svc'): Promise<Service> => {
    const out = await t.ecs.send(
      new DescribeServicesCommand({ cluster, services: [name], include: ['TAGS'] }),
    );
    assert.equal(out.services?.length, 1, JSON.stringify(out.failures));
    return out.services![0];
  };
  const fails = async (
    input: Partial<CreateServiceCommandInput>,
    name: string,
    message?: string | RegExp,
  ) => {
    const e = await awsError(() => create(input));
    assert.equal(e.name, name, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    assert.equal(e.status, 400);
  };

  before(async () => {
    // The handlers alone: with the service scheduler running, deployments would move under the assertions.
    t = await startTestPlane({ controllers: false });
    const store = t.plane.ecs.store;
    await store.transact((tx) => ensureDefaultVpc(tx, t.plane.ecs));
    const subnet = (await listSubnets(store)).find((x) => x.defaultForAz);
    const group = subnet && (await defaultSecurityGroupOf(store, subnet.vpcId));
    VPC.awsvpcConfiguration.subnets.push(subnet?.subnetId ?? '');
    VPC.awsvpcConfiguration.securityGroups.push(group?.groupId ?? '');
    for (const clusterName of ['svc', 'default']) await t.ecs.send(new CreateClusterCommand({ clusterName }));
    await t.ecs.send(
      new CreateClusterCommand({
        clusterName: 'cp',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
    );
    const web = {
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          image: 'busybox',
          cpu: 10,
          memory: 64,
          portMappings: [{ containerPort: 80, hostPort: 0 }],
        },
      ],
    };
    await t.ecs.send(new RegisterTaskDefinitionCommand(web));
    await t.ecs.send(new RegisterTaskDefinitionCommand(web));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vpc',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'busybox', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vpc-ec2',
        networkMode: 'awsvpc',
        containerDefinitions: [
          { name: 'app', image: 'busybox', memory: 64, portMappings: [{ containerPort: 8080 }] },
        ],
      }),
    );
    await t.ecs.send(new RegisterTaskDefinitionCommand({ ...web, family: 'old' }));
    await t.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'old:1' }));
  });
  after(() => t.stop());

  it('creates an EC2 service with every default ECS fills in', async () => {
    const { service } = await create({ serviceName: 'ecs-simple-service', taskDefinition: 'web:1' });
    const deployment = service?.deployments?.[0];
    assert.match(deployment?.id ?? '', DEPLOYMENT_ID);
    assert.ok(service?.createdAt instanceof Date);
    assert.deepEqual(deployment?.createdAt, service?.createdAt);
    assert.deepEqual(service, {
      serviceArn: `${ECS_ARN}:service/svc/ecs-simple-service`,
      serviceName: 'ecs-simple-service',
      clusterArn: `${ECS_ARN}:cluster/svc`,
      loadBalancers: [],
      serviceRegistries: [],
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 0,
      pendingCount: 0,
      launchType: 'EC2',
      taskDefinition: `${ECS_ARN}:task-definition/web:1`,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deployments: [
        {
          id: deployment?.id,
          status: 'PRIMARY',
          taskDefinition: `${ECS_ARN}:task-definition/web:1`,
          desiredCount: 1,
          pendingCount: 0,
          runningCount: 0,
          failedTasks: 0,
          createdAt: service?.createdAt,
          updatedAt: service?.createdAt,
          launchType: 'EC2',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: `ECS deployment ${deployment?.id} in progress.`,
        },
      ],
      events: [],
      createdAt: service?.createdAt,
      placementConstraints: [],
      placementStrategy: [],
      healthCheckGracePeriodSeconds: 0,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      createdBy: `arn:aws:iam::${ACCOUNT}:root`,
      enableECSManagedTags: false,
      propagateTags: 'NONE',
      enableExecuteCommand: false,
      availabilityZoneRebalancing: 'ENABLED',
    });
  });

  it('creates an awsvpc service: network configuration, service-linked role, tags', async () => {
    const { service } = await create({
      serviceName: 'tagged',
      taskDefinition: 'vpc-ec2',
      desiredCount: 2,
      networkConfiguration: VPC,
      tags: [{ key: 'key1', value: 'value1' }],
    });
    const network = { awsvpcConfiguration: { ...VPC.awsvpcConfiguration, assignPublicIp: 'DISABLED' } };
    assert.equal(service?.launchType, 'EC2');
    assert.equal(service?.platformVersion, undefined);
    assert.equal(service?.roleArn, SLR);
    assert.deepEqual(service?.networkConfiguration, network);
    assert.deepEqual(service?.tags, [{ key: 'key1', value: 'value1' }]);
    const d = service?.deployments?.[0];
    assert.deepEqual(d?.networkConfiguration, network);
    assert.equal(d?.desiredCount, 2);
  });

  it('refuses a launch type together with a strategy, and providers the cluster lacks', async () => {
    const strategy = [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }];
    const e = await awsError(() =>
      create({ cluster: 'cp', serviceName: 'both', launchType: 'EC2', capacityProviderStrategy: strategy }),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(
      e.message,
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    await fails(
      { serviceName: 'nocp', capacityProviderStrategy: strategy },
      'InvalidParameterException',
      /not associated with the cluster/,
    );
  });

  it('creates a DAEMON service with its own defaults', async () => {
    const { service } = await create({
      serviceName: 'daemon',
      schedulingStrategy: 'DAEMON',
      desiredCount: undefined,
    });
    assert.equal(service?.schedulingStrategy, 'DAEMON');
    assert.equal(service?.desiredCount, 0);
    assert.deepEqual(service?.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 100,
      minimumHealthyPercent: 0,
    });
    assert.equal(service?.availabilityZoneRebalancing, 'DISABLED');
  });

  it('is idempotent for a retry with the same clientToken, and only then', async () => {
    const input = { serviceName: 'idem', clientToken: 'token-1', desiredCount: 0 };
    const first = await create(input);
    const again = await create(input);
    assert.deepEqual(again.service, first.service);
    await fails(
      { ...input, desiredCount: 3 },
      'InvalidParameterException',
      'Creation of service was not idempotent.',
    );
    await fails(
      { serviceName: 'idem', desiredCount: 0 },
      'InvalidParameterException',
      'Creation of service was not idempotent.',
    );
    await fails(
      { ...input, clientToken: 'x'.repeat(37) },
      'InvalidParameterException',
      'idempotency token longer than 36.',
    );
  });

  it('refuses bad requests with the errors ECS returns', async () => {
    await fails(
      { serviceName: 'bad name' },
      'InvalidParameterException',
      /Service name must be 1-255 characters/,
    );
    await fails({ cluster: 'nope', serviceName: 'y' }, 'ClusterNotFoundException', 'Cluster not found.');
    await fails(
      { serviceName: 'y', taskDefinition: 'missing' },
      'ClientException',
      'TaskDefinition not found.',
    );
    await fails(
      { serviceName: 'y', taskDefinition: 'old:1' },
      'InvalidParameterException',
      'TaskDefinition is inactive',
    );
    await fails(
      { serviceName: 'y', desiredCount: undefined },
      'InvalidParameterException',
      'DesiredCount is missing',
    );
    await fails(
      { serviceName: 'y', desiredCount: -1 },
      'InvalidParameterException',
      'DesiredCount can not be lesser than 0',
    );
    await fails(
      { serviceName: 'y', schedulingStrategy: 'DAEMON', desiredCount: 1 },
      'InvalidParameterException',
      'The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again',
    );
    await fails(
      {
        serviceName: 'y',
        schedulingStrategy: 'DAEMON',
        desiredCount: undefined,
        placementStrategy: [{ type: 'random' }],
      },
      'InvalidParameterException',
      'The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again',
    );
    await fails(
      { serviceName: 'y', taskDefinition: 'vpc', launchType: 'FARGATE' },
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    await fails(
      { serviceName: 'y', networkConfiguration: VPC },
      'InvalidParameterException',
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
    await fails(
      { serviceName: 'y', platformVersion: 'LATEST' },
      'InvalidParameterException',
      'The platform version must be null when specifying an EC2 launch type.',
    );
    await fails(
      {
        serviceName: 'y',
        taskDefinition: 'vpc',
        launchType: 'FARGATE',
        networkConfiguration: VPC,
        platformVersion: '9.9.9',
      },
      'PlatformUnknownException',
    );
    await fails(
      { serviceName: 'y', launchType: 'FARGATE' },
      'InvalidParameterException',
      'Task definition does not support launch_type FARGATE.',
    );
    await fails(
      { serviceName: 'y', deploymentController: { type: 'EXTERNAL' } },
      'UnsupportedFeatureException',
    );
    await fails({ serviceName: 'y', healthCheckGracePeriodSeconds: -1 }, 'InvalidParameterException');
    await fails({ serviceName: 'y', propagateTags: 'ALL' as 'NONE' }, 'InvalidParameterException');
    await fails({ serviceName: 'y', tags: [{ key: 'aws:x', value: 'v' }] }, 'InvalidParameterException');
    await fails(
      { serviceName: 'y', deploymentConfiguration: { minimumHealthyPercent: 101 } },
      'InvalidParameterException',
    );
  });

  it('checks placement constraints and strategies', async () => {
    await fails(
      { serviceName: 'p', placementConstraints: [{ type: 'memberOf' }] },
      'InvalidParameterException',
      /requires an expression/,
    );
    await fails(
      {
        serviceName: 'p',
        placementConstraints: [{ type: 'distinctInstance', expression: 'attribute:a == b' }],
      },
      'InvalidParameterException',
    );
    await fails(
      { serviceName: 'p', placementConstraints: [{ type: 'memberOf', expression: 'attribute:a >> b' }] },
      'InvalidParameterException',
      /^Invalid expression/,
    );
    const eleven = Array.from({ length: 11 }, () => ({ type: 'distinctInstance' as const }));
    await fails({ serviceName: 'p', placementConstraints: eleven }, 'InvalidParameterException');
    await fails(
      { serviceName: 'p', placementStrategy: [{ type: 'binpack', field: 'instanceId' }] },
      'InvalidParameterException',
    );
    const six = Array.from({ length: 6 }, () => ({ type: 'random' as const }));
    await fails({ serviceName: 'p', placementStrategy: six }, 'InvalidParameterException');
    const placed = await create({
      serviceName: 'placed',
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*' }],
      placementStrategy: [
        { type: 'spread', field: 'attribute:ecs.availability-zone' },
        { type: 'binpack', field: 'memory' },
      ],
    });
    assert.deepEqual(placed.service?.placementConstraints, [
      { type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*' },
    ]);
    assert.equal(placed.service?.placementStrategy?.length, 2);
  });

  it('checks load balancers and registries against the task definition, then their existence', async () => {
    const lb = (extra: object) => ({ serviceName: 'lb', loadBalancers: [{ targetGroupArn: TG, ...extra }] });
    await fails(
      lb({ containerName: 'nope', containerPort: 80 }),
      'InvalidParameterException',
      'The container nope does not exist in the task definition.',
    );
    await fails(
      lb({ containerName: 'web', containerPort: 81 }),
      'InvalidParameterException',
      /container port 81/,
    );
    await fails(
      lb({ containerName: 'web', containerPort: 80 }),
      'InvalidParameterException',
      `The target group ${TG} does not exist.`,
    );
    await fails(
      {
        serviceName: 'lb',
        loadBalancers: [{ targetGroupArn: 'web', containerName: 'web', containerPort: 80 }],
      },
      'InvalidParameterException',
      /^Unable to assume role and validate the specified targetGroupArn/,
    );
    await fails(
      {
        serviceName: 'sd',
        serviceRegistries: [{ registryArn: `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/srv-abc` }],
      },
      'ClientException',
      'The service registry could not be validated. Route 53 error: "ServiceNotFound."',
    );
    await fails(
      {
        serviceName: 'sd',
        serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:1:namespace/ns-1' }],
      },
      'InvalidParameterException',
      /^The format of the supplied service registry ARN is invalid/,
    );
    await fails(
      { serviceName: 'sc', serviceConnectConfiguration: { enabled: true, namespace: 'ns' } },
      'NamespaceNotFoundException',
    );
  });

  it('updates in place for desired count and deployment configuration', async () => {
    await create({ serviceName: 'upd', taskDefinition: 'web:1', desiredCount: 1 });
    const before = await describeOne('upd');
    const { service } = await t.ecs.send(
      new UpdateServiceCommand({
        cluster: 'svc',
        service: 'upd',
        desiredCount: 3,
        deploymentConfiguration: { maximumPercent: 150 },
        healthCheckGracePeriodSeconds: 30,
        enableExecuteCommand: true,
      }),
    );
    assert.equal(service?.desiredCount, 3);
    assert.equal(service?.deployments?.length, 1);
    assert.equal(service?.deployments?.[0].id, before.deployments?.[0].id);
    assert.equal(service?.deployments?.[0].desiredCount, 3);
    assert.deepEqual(service?.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 150,
      minimumHealthyPercent: 100,
    });
    assert.equal(service?.healthCheckGracePeriodSeconds, 30);
    assert.equal(service?.enableExecuteCommand, true);
    assert.equal(service?.tags, undefined);
  });

  it('starts a new PRIMARY deployment for a new task definition or forceNewDeployment', async () => {
    const before = await describeOne('upd');
    const updated = await t.ecs.send(
      new UpdateServiceCommand({ cluster: 'svc', service: 'upd', taskDefinition: 'web:2' }),
    );
    const [primary, previous] = updated.service?.deployments ?? [];
    assert.equal(updated.service?.taskDefinition, `${ECS_ARN}:task-definition/web:2`);
    assert.equal(primary.status, 'PRIMARY');
    assert.equal(primary.taskDefinition, `${ECS_ARN}:task-definition/web:2`);
    assert.equal(primary.desiredCount, 3);
    assert.equal(primary.rolloutState, 'IN_PROGRESS');
    assert.match(primary.id ?? '', DEPLOYMENT_ID);
    assert.notEqual(primary.id, before.deployments?.[0].id);
    assert.equal(previous.id, before.deployments?.[0].id);
    assert.equal(previous.status, 'ACTIVE');
    const same = await t.ecs.send(
      new UpdateServiceCommand({ cluster: 'svc', service: 'upd', taskDefinition: 'web:2' }),
    );
    assert.equal(same.service?.deployments?.length, 2);
    const forced = await t.ecs.send(
      new UpdateServiceCommand({ cluster: 'svc', service: 'upd', forceNewDeployment: true }),
    );
    assert.deepEqual(
      forced.service?.deployments?.map((d) => d.status),
      ['PRIMARY', 'ACTIVE', 'ACTIVE'],
    );
  });

  it('keeps placement updates in place and refuses what ECS refuses', async () => {
    const { service } = await t.ecs.send(
      new UpdateServiceCommand({
        cluster: 'svc',
        service: 'upd',
        placementConstraints: [{ type: 'distinctInstance' }],
      }),
    );
    assert.deepEqual(service?.placementConstraints, [{ type: 'distinctInstance' }]);
    assert.equal(service?.deployments?.length, 3);
    const missing = await awsError(() =>
      t.ecs.send(new UpdateServiceCommand({ cluster: 'svc', service: 'nope' })),
    );
    assert.deepEqual([missing.name, missing.message], ['ServiceNotFoundException', 'Service not found.']);
    const daemon = await awsError(() =>
      t.ecs.send(new UpdateServiceCommand({ cluster: 'svc', service: 'daemon', desiredCount: 2 })),
    );
    assert.equal(daemon.name, 'InvalidParameterException');
    // An EC2 service in a cluster whose providers are FARGATE and FARGATE_SPOT.
    await create({ cluster: 'cp', serviceName: 'ec2', launchType: 'EC2', desiredCount: 0 });
    const switching = {
      cluster: 'cp',
      service: 'ec2',
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    };
    const cp = await awsError(() => t.ecs.send(new UpdateServiceCommand(switching)));
    assert.equal(cp.name, 'InvalidParameterException');
    assert.match(cp.message, /you must force a new deployment/);
    const forced = await awsError(() =>
      t.ecs.send(
        new UpdateServiceCommand({
          ...switching,
          forceNewDeployment: true,
          taskDefinition: 'vpc',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-00001111'] } },
        }),
      ),
    );
    assert.equal(forced.name, 'InvalidParameterException');
    assert.match(forced.message, /^Error retrieving subnet information for \[subnet-0000/);
    await create({ cluster: 'cp', serviceName: 'mover', launchType: 'EC2', desiredCount: 0 });
    const moved = await t.ecs.send(
      new UpdateServiceCommand({
        ...switching,
        service: 'mover',
        forceNewDeployment: true,
        taskDefinition: 'vpc',
        networkConfiguration: VPC,
      }),
    );
    assert.deepEqual(moved.service?.capacityProviderStrategy, [
      { capacityProvider: 'FARGATE', weight: 1, base: 0 },
    ]);
  });

  it('describes by name and ARN with MISSING failures, tags only on request', async () => {
    const out = await t.ecs.send(
      new DescribeServicesCommand({
        cluster: `${ECS_ARN}:cluster/svc`,
        services: ['tagged', `${ECS_ARN}:service/svc/upd`, 'nope', `${ECS_ARN}:service/other/upd`],
      }),
    );
    assert.deepEqual(
      out.services?.map((s) => s.serviceName),
      ['tagged', 'upd'],
    );
    assert.equal(out.services?.[0].tags, undefined);
    assert.deepEqual(out.failures, [
      { arn: `${ECS_ARN}:service/svc/nope`, reason: 'MISSING' },
      { arn: `${ECS_ARN}:service/other/upd`, reason: 'MISSING' },
    ]);
    assert.deepEqual((await describeOne('tagged')).tags, [{ key: 'key1', value: 'value1' }]);
    assert.deepEqual((await describeOne('upd')).tags, []);
    const tooMany = await awsError(() =>
      t.ecs.send(new DescribeServicesCommand({ cluster: 'svc', services: Array(11).fill('x') })),
    );
    assert.equal(tooMany.name, 'InvalidParameterException');
    const noCluster = await awsError(() =>
      t.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['x'] })),
    );
    assert.equal(noCluster.name, 'ClusterNotFoundException');
    await t.ecs.send(
      new CreateServiceCommand({ serviceName: 'in-default', taskDefinition: 'web', desiredCount: 0 }),
    );
    const dflt = await t.ecs.send(new DescribeServicesCommand({ services: ['in-default'] }));
    assert.equal(dflt.services?.[0].clusterArn, `${ECS_ARN}:cluster/default`);
  });

  it('lists ACTIVE services 10 per page, with launch type and scheduling filters', async () => {
    for (let i = 0; i < 10; i++)
      await create({ cluster: 'default', serviceName: `many-${i}`, desiredCount: 0 });
    const first = await t.ecs.send(new ListServicesCommand({}));
    assert.equal(first.serviceArns?.length, 10);
    assert.ok(first.nextToken);
    assert.ok(first.serviceArns?.every((a) => a.startsWith(`${ECS_ARN}:service/default/`)));
    const rest = await t.ecs.send(new ListServicesCommand({ nextToken: first.nextToken }));
    assert.equal(rest.serviceArns?.length, 1);
    assert.equal(new Set([...(first.serviceArns ?? []), ...(rest.serviceArns ?? [])]).size, 11);
    assert.equal(rest.nextToken, undefined);
    const fargate = await t.ecs.send(new ListServicesCommand({ cluster: 'svc', launchType: 'FARGATE' }));
    assert.deepEqual(fargate.serviceArns, []);
    const ec2 = await t.ecs.send(new ListServicesCommand({ cluster: 'cp', launchType: 'EC2' }));
    assert.deepEqual(ec2.serviceArns, [`${ECS_ARN}:service/cp/ec2`]);
    const daemons = await t.ecs.send(
      new ListServicesCommand({ cluster: 'svc', schedulingStrategy: 'DAEMON' }),
    );
    assert.deepEqual(daemons.serviceArns, [`${ECS_ARN}:service/svc/daemon`]);
    const e = await awsError(() => t.ecs.send(new ListServicesCommand({ maxResults: 101 })));
    assert.equal(e.name, 'InvalidParameterException');
    const noCluster = await awsError(() => t.ecs.send(new ListServicesCommand({ cluster: 'nope' })));
    assert.equal(noCluster.name, 'ClusterNotFoundException');
  });

  it('deletes: refuses a scaled service without force, goes INACTIVE, hides it from lists, frees the name', async () => {
    const scaled = await awsError(() =>
      t.ecs.send(new DeleteServiceCommand({ cluster: 'svc', service: 'upd' })),
    );
    assert.deepEqual(
      [scaled.name, scaled.message],
      ['InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.'],
    );
    const { service } = await t.ecs.send(
      new DeleteServiceCommand({ cluster: 'svc', service: 'upd', force: true }),
    );
    assert.equal(service?.status, 'INACTIVE');
    assert.equal(service?.desiredCount, 0);
    assert.ok(service?.deployments?.every((d) => d.desiredCount === 0));
    assert.equal((await describeOne('upd')).status, 'INACTIVE');
    const list = await t.ecs.send(new ListServicesCommand({ cluster: 'svc', maxResults: 100 }));
    assert.ok(!list.serviceArns?.includes(`${ECS_ARN}:service/svc/upd`));
    const again = await t.ecs.send(new DeleteServiceCommand({ cluster: 'svc', service: 'upd' }));
    assert.equal(again.service?.status, 'INACTIVE');
    const update = await awsError(() =>
      t.ecs.send(new UpdateServiceCommand({ cluster: 'svc', service: 'upd', desiredCount: 1 })),
    );
    assert.deepEqual([update.name, update.message], ['ServiceNotActiveException', 'Service was not ACTIVE.']);
    const reborn = await create({ serviceName: 'upd', desiredCount: 0 });
    assert.equal(reborn.service?.status, 'ACTIVE');
    assert.equal(reborn.service?.deployments?.length, 1);
    const missing = await awsError(() =>
      t.ecs.send(new DeleteServiceCommand({ cluster: 'svc', service: 'nope' })),
    );
    assert.equal(missing.name, 'ServiceNotFoundException');
  });

  it('drains while the service still has tasks, and refuses to recreate it meanwhile', async () => {
    await create({ serviceName: 'busy', desiredCount: 0 });
    await t.plane.store.transact((tx) =>
      tx.put(Kind.Task, 'svc/0123456789abcdef0123456789abcdef', {
        task: { taskArn: `${ECS_ARN}:task/svc/0123456789abcdef0123456789abcdef`, lastStatus: 'RUNNING' },
        clusterName: 'svc',
        assignmentVersion: 1,
        reportSeq: 0,
        serviceName: 'busy',
      }),
    );
    const { service } = await t.ecs.send(new DeleteServiceCommand({ cluster: 'svc', service: 'busy' }));
    assert.equal(service?.status, 'DRAINING');
    const clusters = await t.ecs.send(new DescribeClustersCommand({ clusters: ['svc'] }));
    assert.ok((clusters.clusters?.[0].activeServicesCount ?? 0) > 0);
    await fails(
      { serviceName: 'busy', desiredCount: 0 },
      'InvalidParameterException',
      'Unable to Start a service that is still Draining.',
    );
  });

  it('answers NamespaceNotFoundException for ListServicesByNamespace (no Cloud Map namespaces yet)', async () => {
    const e = await awsError(() => t.ecs.send(new ListServicesByNamespaceCommand({ namespace: 'local' })));
    assert.equal(e.name, 'NamespaceNotFoundException');
  });
});
