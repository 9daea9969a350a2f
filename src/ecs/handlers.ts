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
import { putClusterCapacityProviders } from './clusters/put-cluster-capacity-providers.ts';
import { updateCluster } from './clusters/update-cluster.ts';
import { updateClusterSettings } from './clusters/update-cluster-settings.ts';
import { deregisterContainerInstance } from './container-instances/deregister-container-instance.ts';
import { describeContainerInstances } from './container-instances/describe-container-instances.ts';
import { listContainerInstances } from './container-instances/list-container-instances.ts';
import { discoverPollEndpoint } from './container-instances/discover-poll-endpoint.ts';
import { registerContainerInstance } from './container-instances/register-container-instance.ts';
import { updateContainerInstancesState } from './container-instances/update-container-instances-state.ts';
import { describeCapacityProviders } from './capacity-providers/describe-capacity-providers.ts';
import { createCapacityProvider } from './capacity-providers/create-capacity-provider.ts';
import { deleteCapacityProvider } from './capacity-providers/delete-capacity-provider.ts';
import { updateCapacityProvider } from './capacity-providers/update-capacity-provider.ts';
import type { EcsHandler } from './ecs-service.ts';
import { createService } from './services/create-service.ts';
import { deleteService } from './services/delete-service.ts';
import { describeServiceDeployments } from './services/describe-service-deployments.ts';
import { describeServices } from './services/describe-services.ts';
import { listServiceDeployments } from './services/list-service-deployments.ts';
import { listServices } from './services/list-services.ts';
import { listServicesByNamespace } from './services/list-services-by-namespace.ts';
import { stopServiceDeployment } from './services/stop-service-deployment.ts';
import { updateService } from './services/update-service.ts';
import { listTagsForResource } from './tags/list-tags-for-resource.ts';
import { tagResource } from './tags/tag-resource.ts';
import { untagResource } from './tags/untag-resource.ts';
import { deleteTaskDefinitions } from './task-definitions/delete-task-definitions.ts';
import { deregisterTaskDefinition } from './task-definitions/deregister-task-definition.ts';
import { describeTaskDefinition } from './task-definitions/describe-task-definition.ts';
import { listTaskDefinitionFamilies } from './task-definitions/list-task-definition-families.ts';
import { listTaskDefinitions } from './task-definitions/list-task-definitions.ts';
import { registerTaskDefinition } from './task-definitions/register-task-definition.ts';
import { describeTasks } from './tasks/describe-tasks.ts';
import { getTaskProtection } from './tasks/get-task-protection.ts';
import { listTasks } from './tasks/list-tasks.ts';
import { runTask } from './tasks/run-task.ts';
import { startTask } from './tasks/start-task.ts';
import { stopTask } from './tasks/stop-task.ts';
import { submitContainerStateChange } from './tasks/submit-container-state-change.ts';
import { submitTaskStateChange } from './tasks/submit-task-state-change.ts';
import { updateTaskProtection } from './tasks/update-task-protection.ts';

export const handlers: Record<string, EcsHandler> = {
  CreateCluster: { category: 'clusterModify', handle: createCluster },
  DeleteCluster: { category: 'clusterModify', handle: deleteCluster },
  DescribeClusters: { category: 'clusterRead', handle: describeClusters },
  ListClusters: { category: 'clusterRead', handle: listClusters },
  UpdateCluster: { category: 'clusterModify', handle: updateCluster },
  UpdateClusterSettings: { category: 'clusterModify', handle: updateClusterSettings },
  PutClusterCapacityProviders: { category: 'clusterModify', handle: putClusterCapacityProviders },
  DescribeCapacityProviders: { category: 'clusterRead', handle: describeCapacityProviders },
  CreateCapacityProvider: { category: 'clusterModify', handle: createCapacityProvider },
  UpdateCapacityProvider: { category: 'clusterModify', handle: updateCapacityProvider },
  DeleteCapacityProvider: { category: 'clusterModify', handle: deleteCapacityProvider },
  RegisterContainerInstance: { category: 'agent', handle: registerContainerInstance },
  DeregisterContainerInstance: { category: 'containerInstanceModify', handle: deregisterContainerInstance },
  DescribeContainerInstances: { category: 'containerInstanceRead', handle: describeContainerInstances },
  ListContainerInstances: { category: 'containerInstanceRead', handle: listContainerInstances },
  UpdateContainerInstancesState: {
    category: 'containerInstanceModify',
    handle: updateContainerInstancesState,
  },
  DiscoverPollEndpoint: { category: 'agent', handle: discoverPollEndpoint },
  SubmitTaskStateChange: { category: 'agent', handle: submitTaskStateChange },
  SubmitContainerStateChange: { category: 'agent', handle: submitContainerStateChange },
  RegisterTaskDefinition: { category: 'taskDefinitionModify', handle: registerTaskDefinition },
  DescribeTaskDefinition: { category: 'taskDefinitionRead', handle: describeTaskDefinition },
  DeregisterTaskDefinition: { category: 'taskDefinitionModify', handle: deregisterTaskDefinition },
  DeleteTaskDefinitions: { category: 'taskDefinitionModify', handle: deleteTaskDefinitions },
  ListTaskDefinitions: { category: 'taskDefinitionRead', handle: listTaskDefinitions },
  ListTaskDefinitionFamilies: { category: 'taskDefinitionRead', handle: listTaskDefinitionFamilies },
  DescribeTasks: { category: 'taskRead', handle: describeTasks },
  ListTasks: { category: 'taskRead', handle: listTasks },
  StopTask: { category: 'taskModify', handle: stopTask },
  RunTask: { category: 'runTask', handle: runTask },
  StartTask: { category: 'taskModify', handle: startTask },
  UpdateTaskProtection: { category: 'taskModify', handle: updateTaskProtection },
  GetTaskProtection: { category: 'taskRead', handle: getTaskProtection },
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
  CreateService: { category: 'serviceModify', handle: createService },
  UpdateService: { category: 'serviceModify', handle: updateService },
  DeleteService: { category: 'serviceModify', handle: deleteService },
  DescribeServices: { category: 'serviceRead', handle: describeServices },
  ListServices: { category: 'serviceRead', handle: listServices },
  ListServicesByNamespace: { category: 'serviceRead', handle: listServicesByNamespace },
  ListServiceDeployments: { category: 'serviceRead', handle: listServiceDeployments },
  DescribeServiceDeployments: { category: 'serviceRead', handle: describeServiceDeployments },
  StopServiceDeployment: { category: 'serviceModify', handle: stopServiceDeployment },
};
