/** DescribeParameters: metadata (never values) of the current versions, filtered and paged (MaxResults 1 to 50). */
import type {
  DescribeParametersRequest,
  DescribeParametersResult,
  ParameterMetadata,
} from '@aws-sdk/client-ssm';
import type { Wire } from '../core/wire.ts';
import {
  type SsmContext,
  currentOf,
  listParameterRecords,
  parameterArn,
  validation,
} from './model/records.ts';
import {
  checkMax,
  checkParameterFilters,
  fromLegacyFilters,
  matchesFilter,
  nextToken,
  pageStart,
} from './parameter-filters.ts';

export async function describeParameters(
  ctx: SsmContext,
  input: Wire<DescribeParametersRequest>,
): Promise<Wire<DescribeParametersResult>> {
  if ((input.Filters?.length ?? 0) > 0 && (input.ParameterFilters?.length ?? 0) > 0) {
    throw validation('You can use either Filters or ParameterFilters in a single request.');
  }
  const filters = [...fromLegacyFilters(input.Filters), ...checkParameterFilters(input.ParameterFilters)];
  const max = checkMax(input.MaxResults, 50);
  const start = pageStart(input.NextToken);
  const all = (await listParameterRecords(ctx.store))
    .filter((p) => filters.every((f) => matchesFilter(p, f)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page: Wire<ParameterMetadata>[] = all.slice(start, start + max).map((p) => {
    const v = currentOf(p);
    return {
      Name: p.name,
      ARN: parameterArn(ctx.partition, p.name),
      Type: v.type,
      ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
      LastModifiedDate: (v.modifiedAt / 1000) as never,
      ...(v.description !== undefined ? { Description: v.description } : {}),
      ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
      Version: v.version,
      Tier: v.tier,
      Policies: [],
      DataType: v.dataType,
    };
  });
  const next = nextToken(start, max, all.length);
  return { Parameters: page, ...(next ? { NextToken: next } : {}) };
}
