/** Records -> the SDK's AutoScalingGroup / Instance / AutoScalingInstanceDetails shapes. */
import type { GroupRecord, InstanceRecord } from './records.ts';

export function groupView(g: GroupRecord, instances: readonly InstanceRecord[]): Record<string, unknown> {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    ...(g.launchTemplate ? { LaunchTemplate: g.launchTemplate } : {}),
    ...(g.launchConfigurationName ? { LaunchConfigurationName: g.launchConfigurationName } : {}),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: g.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: instances.filter((i) => i.lifecycleState !== 'Terminated').map(instanceView),
    CreatedTime: g.createdAt / 1000,
    SuspendedProcesses: [],
    ...(g.vpcZoneIdentifier ? { VPCZoneIdentifier: g.vpcZoneIdentifier } : {}),
    EnabledMetrics: [],
    ...(g.deleting ? { Status: 'Delete in progress' } : {}),
    Tags: g.tags.map((t) => ({
      ResourceId: g.name,
      ResourceType: 'auto-scaling-group',
      Key: t.Key,
      Value: t.Value,
      PropagateAtLaunch: t.PropagateAtLaunch,
    })),
    TerminationPolicies: g.terminationPolicies,
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    CapacityRebalance: false,
  };
}

export function instanceView(i: InstanceRecord): Record<string, unknown> {
  return {
    InstanceId: i.instanceId,
    InstanceType: i.instanceType,
    AvailabilityZone: i.availabilityZone,
    LifecycleState: i.lifecycleState,
    HealthStatus: i.healthStatus,
    ...(i.launchTemplate ? { LaunchTemplate: i.launchTemplate } : {}),
    ProtectedFromScaleIn: i.protectedFromScaleIn,
  };
}

/** DescribeAutoScalingInstances spells the health status in capitals (HEALTHY / UNHEALTHY). */
export function instanceDetailsView(i: InstanceRecord): Record<string, unknown> {
  return {
    ...instanceView(i),
    AutoScalingGroupName: i.groupName,
    HealthStatus: i.healthStatus.toUpperCase(),
  };
}
