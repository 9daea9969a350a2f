/** The table of implemented EC2 Auto Scaling operations. */
import type { Handler } from '../aws/handler-table.ts';
import { createAutoScalingGroup } from './create-auto-scaling-group.ts';
import { deleteAutoScalingGroup } from './delete-auto-scaling-group.ts';
import { describeAutoScalingGroups } from './describe-auto-scaling-groups.ts';
import {
  describeAutoScalingInstances,
  setInstanceProtection,
  terminateInstanceInAutoScalingGroup,
} from './instances.ts';
import type { AutoScalingGroupsContext } from './model/records.ts';
import { setDesiredCapacity, updateAutoScalingGroup } from './update-auto-scaling-group.ts';

export const handlers: Readonly<Record<string, Handler<AutoScalingGroupsContext>>> = {
  CreateAutoScalingGroup: { category: 'write', handle: createAutoScalingGroup },
  UpdateAutoScalingGroup: { category: 'write', handle: updateAutoScalingGroup },
  SetDesiredCapacity: { category: 'write', handle: setDesiredCapacity },
  DeleteAutoScalingGroup: { category: 'write', handle: deleteAutoScalingGroup },
  DescribeAutoScalingGroups: { category: 'read', handle: describeAutoScalingGroups },
  DescribeAutoScalingInstances: { category: 'read', handle: describeAutoScalingInstances },
  SetInstanceProtection: { category: 'write', handle: setInstanceProtection },
  TerminateInstanceInAutoScalingGroup: { category: 'write', handle: terminateInstanceInAutoScalingGroup },
};
