/** DescribeRegistry: the registry's id and its replication configuration in the region. */
import type { DescribeRegistryRequest, DescribeRegistryResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { replicationConfiguration } from '../model/registry-settings.ts';
import { replicationConfigurationShape } from '../replication/put-replication-configuration.ts';

/** A registry that never set one answers an empty rule list, as ECR does. */
export async function describeRegistry(
  ctx: EcrContext,
  _input: DescribeRegistryRequest,
  _request: RequestContext,
): Promise<Wire<DescribeRegistryResponse>> {
  const config = await replicationConfiguration(ctx.store);
  return {
    registryId: ctx.partition.accountId,
    replicationConfiguration: replicationConfigurationShape(config ?? { rules: [] }),
  };
}
