/** The table of implemented ECS operations. docs/api-coverage.md is generated from it. */
import { deleteAccountSetting } from './account-settings/delete-account-setting.ts';
import { listAccountSettings } from './account-settings/list-account-settings.ts';
import { putAccountSetting } from './account-settings/put-account-setting.ts';
import { putAccountSettingDefault } from './account-settings/put-account-setting-default.ts';
import { deleteAttributes } from './attributes/delete-attributes.ts';
import { listAttributes } from './attributes/list-attributes.ts';
import { putAttributes } from './attributes/put-attributes.ts';
import { createCluster } from './clusters/create-cluster.ts';
import { deleteCluster } from './clusters/delete-cluster.ts';
import { describeClusters } from './clusters/describe-clusters.ts';
import { listClusters } from './clusters/list-clusters.ts';
import {
  putClusterCapacityProviders,
  updateCluster,
  updateClusterSettings,
} from './clusters/update-cluster.ts';
import { deregisterContainerInstance } from './container-instances/deregister-container-instance.ts';
import { describeContainerInstances } from './container-instances/describe-container-instances.ts';
import { discoverPollEndpoint } from './container-instances/discover-poll-endpoint.ts';
import { registerContainerInstance } from './container-instances/register-container-instance.ts';
import { updateContainerInstancesState } from './container-instances/update-container-instances-state.ts';
import type { EcsHandler } from './ecs-service.ts';
import { listTagsForResource } from './tags/list-tags-for-resource.ts';
import { tagResource } from './tags/tag-resource.ts';
import { untagResource } from './tags/untag-resource.ts';
import { describeTasks } from './tasks/describe-tasks.ts';
import { listTasks } from './tasks/list-tasks.ts';
import { stopTask } from './tasks/stop-task.ts';
import { submitContainerStateChange } from './tasks/submit-container-state-change.ts';
import { submitTaskStateChange } from './tasks/submit-task-state-change.ts';

export const handlers: Record<string, EcsHandler> = {
  CreateCluster: { category: 'clusterModify', handle: createCluster },
  DeleteCluster: { category: 'clusterModify', handle: deleteCluster },
  DescribeClusters: { category: 'clusterRead', handle: describeClusters },
  ListClusters: { category: 'clusterRead', handle: listClusters },
  UpdateCluster: { category: 'clusterModify', handle: updateCluster },
  UpdateClusterSettings: { category: 'clusterModify', handle: updateClusterSettings },
  PutClusterCapacityProviders: { category: 'clusterModify', handle: putClusterCapacityProviders },
  RegisterContainerInstance: { category: 'agent', handle: registerContainerInstance },
  DeregisterContainerInstance: { category: 'containerInstanceModify', handle: deregisterContainerInstance },
  DescribeContainerInstances: { category: 'containerInstanceRead', handle: describeContainerInstances },
  UpdateContainerInstancesState: {
    category: 'containerInstanceModify',
    handle: updateContainerInstancesState,
  },
  DiscoverPollEndpoint: { category: 'agent', handle: discoverPollEndpoint },
  SubmitTaskStateChange: { category: 'agent', handle: submitTaskStateChange },
  SubmitContainerStateChange: { category: 'agent', handle: submitContainerStateChange },
  DescribeTasks: { category: 'taskRead', handle: describeTasks },
  ListTasks: { category: 'taskRead', handle: listTasks },
  StopTask: { category: 'taskModify', handle: stopTask },
  PutAccountSetting: { category: 'accountSettings', handle: putAccountSetting },
  PutAccountSettingDefault: { category: 'accountSettings', handle: putAccountSettingDefault },
  ListAccountSettings: { category: 'accountSettings', handle: listAccountSettings },
  DeleteAccountSetting: { category: 'accountSettings', handle: deleteAccountSetting },
  PutAttributes: { category: 'attributesAndTags', handle: putAttributes },
  DeleteAttributes: { category: 'attributesAndTags', handle: deleteAttributes },
  ListAttributes: { category: 'attributesAndTags', handle: listAttributes },
  TagResource: { category: 'attributesAndTags', handle: tagResource },
  UntagResource: { category: 'attributesAndTags', handle: untagResource },
  ListTagsForResource: { category: 'attributesAndTags', handle: listTagsForResource },
};
