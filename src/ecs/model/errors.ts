/** ECS's error codes (the error shapes of its model) and the helpers for the common ones. */
import { ServiceError } from '../../core/errors.ts';

export const EcsErrorCode = {
  AccessDenied: 'AccessDeniedException',
  AttributeLimitExceeded: 'AttributeLimitExceededException',
  Client: 'ClientException',
  ClusterContainsCapacityProvider: 'ClusterContainsCapacityProviderException',
  ClusterContainsContainerInstances: 'ClusterContainsContainerInstancesException',
  ClusterContainsServices: 'ClusterContainsServicesException',
  ClusterContainsTasks: 'ClusterContainsTasksException',
  ClusterNotFound: 'ClusterNotFoundException',
  Conflict: 'ConflictException',
  InvalidParameter: 'InvalidParameterException',
  LimitExceeded: 'LimitExceededException',
  NamespaceNotFound: 'NamespaceNotFoundException',
  NoUpdateAvailable: 'NoUpdateAvailableException',
  PlatformTaskDefinitionIncompatibility: 'PlatformTaskDefinitionIncompatibilityException',
  PlatformUnknown: 'PlatformUnknownException',
  ResourceInUse: 'ResourceInUseException',
  ResourceNotFound: 'ResourceNotFoundException',
  Server: 'ServerException',
  ServiceDeploymentNotFound: 'ServiceDeploymentNotFoundException',
  ServiceNotActive: 'ServiceNotActiveException',
  ServiceNotFound: 'ServiceNotFoundException',
  TargetNotConnected: 'TargetNotConnectedException',
  TargetNotFound: 'TargetNotFoundException',
  TaskSetNotFound: 'TaskSetNotFoundException',
  UnsupportedFeature: 'UnsupportedFeatureException',
  UpdateInProgress: 'UpdateInProgressException',
} as const;
export type EcsErrorCode = (typeof EcsErrorCode)[keyof typeof EcsErrorCode];

/** ECS's catch-all for bad requests: `InvalidParameterException`. */
export function invalidParameter(message: string): ServiceError {
  return new ServiceError(EcsErrorCode.InvalidParameter, message);
}

/** ECS's `ClientException`: the request is well formed but not allowed in this state. */
export function clientException(message: string): ServiceError {
  return new ServiceError(EcsErrorCode.Client, message);
}

/** ECS's `ClusterNotFoundException`, with the message ECS uses. */
export function clusterNotFound(): ServiceError {
  return new ServiceError(EcsErrorCode.ClusterNotFound, 'Cluster not found.');
}
