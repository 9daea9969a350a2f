/** The table of implemented Application Auto Scaling operations. docs/api-coverage-application-autoscaling.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import type { AutoScalingContext } from './model/records.ts';
import {
  deregisterScalableTarget,
  describeScalableTargets,
  registerScalableTarget,
} from './scalable-targets.ts';
import { describeScalingActivities } from './scaling-activities.ts';
import { deleteScalingPolicy, describeScalingPolicies, putScalingPolicy } from './scaling-policies.ts';
import { deleteScheduledAction, describeScheduledActions, putScheduledAction } from './scheduled-actions.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';

export const handlers: Readonly<Record<string, Handler<AutoScalingContext>>> = {
  RegisterScalableTarget: { category: 'write', handle: registerScalableTarget },
  DescribeScalableTargets: { category: 'read', handle: describeScalableTargets },
  DeregisterScalableTarget: { category: 'write', handle: deregisterScalableTarget },
  PutScalingPolicy: { category: 'write', handle: putScalingPolicy },
  DescribeScalingPolicies: { category: 'read', handle: describeScalingPolicies },
  DeleteScalingPolicy: { category: 'write', handle: deleteScalingPolicy },
  PutScheduledAction: { category: 'write', handle: putScheduledAction },
  DescribeScheduledActions: { category: 'read', handle: describeScheduledActions },
  DeleteScheduledAction: { category: 'write', handle: deleteScheduledAction },
  DescribeScalingActivities: { category: 'read', handle: describeScalingActivities },
  TagResource: { category: 'write', handle: tagResource },
  UntagResource: { category: 'write', handle: untagResource },
  ListTagsForResource: { category: 'read', handle: listTagsForResource },
};
