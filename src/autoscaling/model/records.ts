/**
 * EC2 Auto Scaling as stored, in the region's store view: groups (Kind.AutoScalingGroup, keyed by
 * name) and their instances (Kind.AutoScalingInstance, keyed `<group>/<instance-id>`, so a prefix
 * lists one group's). Shapes follow the SDK's AutoScalingGroup and Instance; what Longshore needs
 * beyond them (the launch spec, the launcher's handle, timestamps in ms) sits beside them.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Store } from '../../store/store.ts';
import type { LaunchSpec } from './launch-spec.ts';

/** What the handlers and the controllers work with. */
export interface AutoScalingGroupsContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
}

export interface GroupTag {
  Key: string;
  Value: string;
  PropagateAtLaunch: boolean;
}

export interface LaunchTemplateRef {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  Version?: string;
}

export interface GroupRecord {
  name: string;
  arn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  healthCheckGracePeriod: number;
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  newInstancesProtectedFromScaleIn: boolean;
  terminationPolicies: string[];
  tags: GroupTag[];
  /** Epoch ms. */
  createdAt: number;
  /** What an instance is: the launcher, its cluster and shape (from the `longshore:*` tags). */
  launch: LaunchSpec;
  /** Set by DeleteAutoScalingGroup with ForceDelete: the controller terminates every instance, then removes the group. */
  deleting?: boolean;
}

/** AWS's lifecycle states this subset uses. */
export const LifecycleState = {
  Pending: 'Pending',
  InService: 'InService',
  Terminating: 'Terminating',
  Terminated: 'Terminated',
} as const;
export type LifecycleState = (typeof LifecycleState)[keyof typeof LifecycleState];

export interface InstanceRecord {
  instanceId: string;
  groupName: string;
  availabilityZone: string;
  instanceType: string;
  lifecycleState: LifecycleState;
  /** 'Healthy' | 'Unhealthy' (DescribeAutoScalingInstances answers it upper-cased, as AWS does). */
  healthStatus: 'Healthy' | 'Unhealthy';
  protectedFromScaleIn: boolean;
  launchTemplate?: LaunchTemplateRef;
  /** Epoch ms the launcher was asked to start it. */
  launchedAt: number;
  /** The launcher's own note about the instance (a pid, a data directory), kept for terminate. */
  handle?: Record<string, string>;
  /** Why it is terminating (an activity's cause, for logs). */
  terminationCause?: string;
  /** Epoch ms the instance began terminating (managed draining waits from here). */
  terminatingSince?: number;
}

export const keys = {
  instance: (group: string, id: string) => `${group}/${id}`,
  groupInstances: (group: string) => `${group}/`,
} as const;

/** EC2 Auto Scaling's error codes (the model's shape names; the gateway answers each with its Query code). */
export const AutoScalingErrorCode = {
  Validation: 'ValidationError',
  AlreadyExists: 'AlreadyExistsFault',
  ResourceInUse: 'ResourceInUseFault',
  ScalingActivityInProgress: 'ScalingActivityInProgressFault',
  LimitExceeded: 'LimitExceededFault',
} as const;

export function validationError(message: string): ServiceError {
  return new ServiceError(AutoScalingErrorCode.Validation, message);
}

/** AWS's answer for a group name that does not exist (UpdateAutoScalingGroup, SetDesiredCapacity ...). */
export function groupNotFound(name: string): ServiceError {
  return validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
}

export function groupArn(p: Partition, uuid: string, name: string): string {
  return `arn:aws:autoscaling:${p.region}:${p.accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
}

/** A group's name from its name or ARN (`...:autoScalingGroupName/NAME`). */
export function groupNameOf(nameOrArn: string): string {
  const marker = ':autoScalingGroupName/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

/** Instances that count toward the desired capacity: every one not terminating or gone. */
export function countsTowardCapacity(i: InstanceRecord): boolean {
  return i.lifecycleState === LifecycleState.Pending || i.lifecycleState === LifecycleState.InService;
}
