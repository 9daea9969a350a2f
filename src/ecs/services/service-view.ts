/** Builds the `Service` shape DescribeServices returns from a stored ServiceRecord. */
import type { Service } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { ServiceRecord } from '../model/records.ts';
import { visibleDeployments } from '../model/services/deployments.ts';

export const ServiceInclude = ['TAGS'] as const;

/** The member order ECS answers with (aws-cli examples); JSON consumers don't care, people reading it do. */
const MEMBER_ORDER: readonly (keyof Service)[] = [
  'serviceArn',
  'serviceName',
  'clusterArn',
  'loadBalancers',
  'serviceRegistries',
  'status',
  'desiredCount',
  'runningCount',
  'pendingCount',
  'launchType',
  'capacityProviderStrategy',
  'platformVersion',
  'platformFamily',
  'taskDefinition',
  'deploymentConfiguration',
  'taskSets',
  'deployments',
  'roleArn',
  'events',
  'createdAt',
  'placementConstraints',
  'placementStrategy',
  'networkConfiguration',
  'healthCheckGracePeriodSeconds',
  'schedulingStrategy',
  'deploymentController',
  'tags',
  'createdBy',
  'enableECSManagedTags',
  'propagateTags',
  'enableExecuteCommand',
  'availabilityZoneRebalancing',
];

/**
 * The service as ECS describes it. The service's runningCount and pendingCount are the sums over
 * its visible deployments (the controller keeps the per-deployment counts), so they can never
 * disagree. Tags appear only with `include: ['TAGS']`; INACTIVE deployments never appear.
 */
export function serviceView(record: ServiceRecord, include: readonly string[] = []): Wire<Service> {
  const { tags, ...service } = record.service;
  const deployments = visibleDeployments(service.deployments);
  const derived: Wire<Service> = {
    ...service,
    runningCount: deployments.reduce((n, d) => n + (d.runningCount ?? 0), 0),
    pendingCount: deployments.reduce((n, d) => n + (d.pendingCount ?? 0), 0),
    deployments,
  };
  if (include.includes('TAGS')) derived.tags = tags ?? [];
  return ordered(derived);
}

function ordered(service: Wire<Service>): Wire<Service> {
  const out: Record<string, unknown> = {};
  const source = service as Record<string, unknown>;
  for (const key of MEMBER_ORDER) if (source[key] !== undefined) out[key] = source[key];
  for (const [key, value] of Object.entries(source))
    if (!(key in out) && value !== undefined) out[key] = value;
  return out as Wire<Service>;
}
