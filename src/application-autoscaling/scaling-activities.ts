/**
 * DescribeScalingActivities: the last six weeks, newest first. Activities that did not scale
 * (cooldown, suspension, already at a bound) are listed only with IncludeNotScaledActivities,
 * with their NotScaledReasons.
 */
import type {
  DescribeScalingActivitiesRequest,
  DescribeScalingActivitiesResponse,
  ScalingActivity,
} from '@aws-sdk/client-application-auto-scaling';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  ACTIVITY_RETENTION_MS,
  type AutoScalingContext,
  type ScalingActivityRecord,
} from './model/records.ts';
import { checkFilter, checkNamespace, page, seconds } from './input.ts';

export async function describeScalingActivities(
  ctx: AutoScalingContext,
  input: Wire<DescribeScalingActivitiesRequest>,
): Promise<Wire<DescribeScalingActivitiesResponse>> {
  const namespace = checkNamespace(input.ServiceNamespace);
  const { resourceId, dimension } = checkFilter(input);
  const since = ctx.clock.now() - ACTIVITY_RETENTION_MS;
  const prefix = resourceId === undefined ? `${namespace}|` : `${namespace}|${resourceId}|${dimension ?? ''}`;
  const all = (await ctx.store.list<ScalingActivityRecord>(Kind.ScalingActivity, { prefix }))
    .filter(
      (a) =>
        a.value.startTime >= since &&
        (resourceId === undefined || a.value.resourceId === resourceId) &&
        (input.IncludeNotScaledActivities === true || a.value.notScaled !== true),
    )
    // Keys are newest first within a target; across targets, order by time too.
    .sort(
      (a, b) =>
        b.value.startTime - a.value.startTime || b.value.seq - a.value.seq || (a.key < b.key ? -1 : 1),
    );
  const order = new Map(all.map((a, i) => [a.key, String(i).padStart(10, '0')]));
  const p = page(all, (a) => order.get(a.key) as string, input);
  return {
    ScalingActivities: p.items.map((a) => activityView(a.value, namespace)),
    ...(p.nextToken ? { NextToken: p.nextToken } : {}),
  };
}

function activityView(a: ScalingActivityRecord, namespace: string): Wire<ScalingActivity> {
  const dimension = a.targetKey.split('|')[2] as string;
  return {
    ActivityId: a.activityId,
    ServiceNamespace: namespace as never,
    ResourceId: a.resourceId,
    ScalableDimension: dimension as never,
    Description: a.description,
    Cause: a.cause,
    StartTime: seconds(a.startTime),
    ...(a.endTime !== undefined ? { EndTime: seconds(a.endTime) } : {}),
    StatusCode: a.statusCode,
    ...(a.statusMessage !== undefined ? { StatusMessage: a.statusMessage } : {}),
    ...(a.notScaledReasons ? { NotScaledReasons: a.notScaledReasons } : {}),
  };
}
