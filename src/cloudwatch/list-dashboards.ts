/** ListDashboards: the account's dashboards; Longshore has none yet, so the list is empty. */
import type { ListDashboardsInput, ListDashboardsOutput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';

export async function listDashboards(
  _ctx: CloudWatchContext,
  _input: ListDashboardsInput,
  _request: RequestContext,
): Promise<ListDashboardsOutput> {
  return { DashboardEntries: [] };
}
