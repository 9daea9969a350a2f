/** A stored capacity provider as DescribeCapacityProviders and the write operations answer it. */
import type { CapacityProvider } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { CapacityProviderRecord } from '../model/capacity-provider-records.ts';

export function providerView(record: CapacityProviderRecord, withTags: boolean): Wire<CapacityProvider> {
  const { tags, ...rest } = record.provider;
  return withTags ? { ...rest, tags: tags ?? [] } : rest;
}
