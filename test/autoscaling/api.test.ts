/** EC2 Auto Scaling's API subset and ECS capacity providers over it, through the SDK clients: shapes and AWS's errors. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteCapacityProviderCommand,
  DescribeCapacityProvidersCommand,
  PutClusterCapacityProvidersCommand,
  UpdateCapacityProviderCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

let t: TestPlane;
let asg: AutoScalingClient;

before(async () => {
  t = await startTestPlane({ controllers: false });
  asg = new AutoScalingClient({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
after(async () => {
  asg.destroy();
  await t.stop();
});

const simulated = [{ Key: 'longshore:launcher', Value: 'simulated' }];

describe('EC2 Auto Scaling API', () => {
  it('creates, describes, updates and deletes a group', async () => {
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'api-a',
        LaunchTemplate: { LaunchTemplateName: 'workers' },
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 0,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        Tags: [...simulated, { Key: 'team', Value: 'x', PropagateAtLaunch: true }],
      }),
    );
    const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['api-a'] }));
    const g = out.AutoScalingGroups?.[0];
    assert.equal(g?.AutoScalingGroupName, 'api-a');
    assert.match(
      g?.AutoScalingGroupARN ?? '',
      /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/api-a$/,
    );
    assert.deepEqual(g?.LaunchTemplate, { LaunchTemplateName: 'workers', Version: '$Default' });
    assert.equal(g?.MaxSize, 4);
    assert.deepEqual(g?.Instances, []);
    assert.ok(g?.CreatedTime instanceof Date);
    assert.equal(g?.Tags?.find((x) => x.Key === 'team')?.PropagateAtLaunch, true);
    await asg.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'api-a', MaxSize: 6, MinSize: 1 }),
    );
    const again = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['api-a'] }));
    assert.equal(again.AutoScalingGroups?.[0].MaxSize, 6);
    // The desired capacity follows a min raised above it.
    assert.equal(again.AutoScalingGroups?.[0].DesiredCapacity, 1);
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'api-a' }));
    const gone = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['api-a'] }));
    assert.deepEqual(gone.AutoScalingGroups, []);
  });

  it("answers AWS's errors", async () => {
    const base = {
      LaunchTemplate: { LaunchTemplateName: 'lt' },
      AvailabilityZones: ['us-east-1a'],
      Tags: simulated,
    };
    let e = await awsError(() =>
      asg.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'bad', MinSize: 3, MaxSize: 1, ...base }),
      ),
    );
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.status, 400);
    e = await awsError(() =>
      asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'bad',
          MinSize: 0,
          MaxSize: 1,
          AvailabilityZones: ['us-east-1a'],
        }),
      ),
    );
    assert.equal(e.name, 'ValidationError');
    assert.match(e.message, /LaunchTemplate, LaunchConfigurationName/);
    e = await awsError(() =>
      asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'bad',
          MinSize: 0,
          MaxSize: 1,
          ...base,
          Tags: [{ Key: 'longshore:launcher', Value: 'teleport' }],
        }),
      ),
    );
    assert.equal(e.name, 'ValidationError');
    await asg.send(
      new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'dup', MinSize: 0, MaxSize: 2, ...base }),
    );
    e = await awsError(() =>
      asg.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'dup', MinSize: 0, MaxSize: 2, ...base }),
      ),
    );
    assert.equal(e.name, 'AlreadyExistsFault');
    e = await awsError(() =>
      asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'dup', DesiredCapacity: 5 })),
    );
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'New SetDesiredCapacity value 5 is above max value 2 for the AutoScalingGroup.');
    e = await awsError(() =>
      asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'nope', DesiredCapacity: 1 })),
    );
    assert.equal(e.name, 'ValidationError');
    e = await awsError(() =>
      asg.send(
        new SetInstanceProtectionCommand({
          AutoScalingGroupName: 'dup',
          InstanceIds: ['i-0123456789abcdef0'],
          ProtectedFromScaleIn: true,
        }),
      ),
    );
    assert.equal(e.name, 'ValidationError');
    e = await awsError(() =>
      asg.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: 'i-0123456789abcdef0',
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
    );
    assert.equal(e.name, 'ValidationError');
    assert.match(e.message, /^Instance Id not found/);
  });
});

describe('ECS capacity providers over Auto Scaling groups', () => {
  it('validates, creates, associates, updates and deletes a provider', async () => {
    const base = {
      LaunchTemplate: { LaunchTemplateName: 'lt' },
      AvailabilityZones: ['us-east-1a'],
      Tags: simulated,
    };
    await asg.send(
      new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'cp-g', MinSize: 0, MaxSize: 3, ...base }),
    );
    const arn = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['cp-g'] })))
      .AutoScalingGroups?.[0].AutoScalingGroupARN;
    let e = await awsError(() =>
      t.ecs.send(
        new CreateCapacityProviderCommand({
          name: 'cp-missing',
          autoScalingGroupProvider: { autoScalingGroupArn: `${arn}x` },
        }),
      ),
    );
    assert.equal(e.name, 'ClientException');
    e = await awsError(() =>
      t.ecs.send(
        new CreateCapacityProviderCommand({
          name: 'ecs-x',
          autoScalingGroupProvider: { autoScalingGroupArn: arn },
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    // Managed termination protection needs the group's new-instance protection.
    e = await awsError(() =>
      t.ecs.send(
        new CreateCapacityProviderCommand({
          name: 'cp-a',
          autoScalingGroupProvider: {
            autoScalingGroupArn: arn,
            managedScaling: { status: 'ENABLED' },
            managedTerminationProtection: 'ENABLED',
          },
        }),
      ),
    );
    assert.equal(e.name, 'ClientException');
    assert.match(e.message, /instance protection from scale in/);
    const created = await t.ecs.send(
      new CreateCapacityProviderCommand({
        name: 'cp-a',
        autoScalingGroupProvider: {
          autoScalingGroupArn: arn,
          managedScaling: { status: 'ENABLED', targetCapacity: 90 },
        },
        tags: [{ key: 'k', value: 'v' }],
      }),
    );
    assert.equal(created.capacityProvider?.status, 'ACTIVE');
    assert.deepEqual(created.capacityProvider?.autoScalingGroupProvider?.managedScaling, {
      status: 'ENABLED',
      targetCapacity: 90,
      minimumScalingStepSize: 1,
      maximumScalingStepSize: 10000,
      instanceWarmupPeriod: 300,
    });
    assert.equal(created.capacityProvider?.autoScalingGroupProvider?.managedDraining, 'ENABLED');
    e = await awsError(() =>
      t.ecs.send(
        new CreateCapacityProviderCommand({
          name: 'cp-b',
          autoScalingGroupProvider: { autoScalingGroupArn: arn },
        }),
      ),
    );
    assert.equal(e.name, 'ClientException', 'one provider per group');
    const described = await t.ecs.send(
      new DescribeCapacityProvidersCommand({ capacityProviders: ['cp-a', 'nope'], include: ['TAGS'] }),
    );
    assert.equal(described.capacityProviders?.[0].name, 'cp-a');
    assert.deepEqual(described.capacityProviders?.[0].tags, [{ key: 'k', value: 'v' }]);
    assert.equal(described.failures?.[0].reason, 'MISSING');
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'cp-cluster' }));
    await t.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'cp-cluster',
        capacityProviders: ['cp-a'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'cp-a', weight: 1 }],
      }),
    );
    e = await awsError(() =>
      t.ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'cp-cluster',
          capacityProviders: ['cp-zzz'],
          defaultCapacityProviderStrategy: [],
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    // The group is in use by the provider; the provider by the cluster.
    e = await awsError(() => asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'cp-g' })));
    assert.equal(e.name, 'ResourceInUseFault');
    e = await awsError(() => t.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-a' })));
    assert.equal(e.name, 'ClientException');
    const updated = await t.ecs.send(
      new UpdateCapacityProviderCommand({
        name: 'cp-a',
        autoScalingGroupProvider: {
          managedScaling: { minimumScalingStepSize: 2 },
          managedDraining: 'DISABLED',
        },
      }),
    );
    assert.equal(
      updated.capacityProvider?.autoScalingGroupProvider?.managedScaling?.minimumScalingStepSize,
      2,
    );
    assert.equal(updated.capacityProvider?.autoScalingGroupProvider?.managedScaling?.targetCapacity, 90);
    assert.equal(updated.capacityProvider?.updateStatus, 'UPDATE_COMPLETE');
    await t.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'cp-cluster',
        capacityProviders: [],
        defaultCapacityProviderStrategy: [],
      }),
    );
    const deleted = await t.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-a' }));
    assert.equal(deleted.capacityProvider?.status, 'INACTIVE');
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'cp-g' }));
  });
});
