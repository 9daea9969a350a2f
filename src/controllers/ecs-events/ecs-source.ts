/** The names ECS's events go out with: source, detail types, and the names of service events. */

export const ECS_SOURCE = 'aws.ecs';

export const DetailType = {
  Task: 'ECS Task State Change',
  ContainerInstance: 'ECS Container Instance State Change',
  Deployment: 'ECS Deployment State Change',
  ServiceAction: 'ECS Service Action',
} as const;

export const EventType = { Info: 'INFO', Warn: 'WARN', Error: 'ERROR' } as const;

export const DeploymentEventName = {
  InProgress: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
  Completed: 'SERVICE_DEPLOYMENT_COMPLETED',
  Failed: 'SERVICE_DEPLOYMENT_FAILED',
} as const;

export const ServiceActionName = {
  SteadyState: 'SERVICE_STEADY_STATE',
  CapacityProviderSteadyState: 'CAPACITY_PROVIDER_STEADY_STATE',
  TaskStartImpaired: 'SERVICE_TASK_START_IMPAIRED',
  TaskPlacementFailure: 'SERVICE_TASK_PLACEMENT_FAILURE',
} as const;
