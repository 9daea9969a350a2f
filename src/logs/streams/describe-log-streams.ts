/**
 * DescribeLogStreams: ordered by name (with an optional prefix) or by last event time (no prefix
 * then, as CloudWatch refuses it), ascending or descending, a page at a time. The event times and
 * sizes come from the event store's per-stream statistics.
 */
import type {
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { groupNameOf } from '../identifiers.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkLimit, checkStreamName } from '../model/names.ts';
import { type LogsContext, type LogStreamRecord, logStreamArn, logsKeys } from '../model/records.ts';
import { page } from '../paging.ts';

const ORDERS = ['LogStreamName', 'LastEventTime'] as const;

export async function describeLogStreams(
  ctx: LogsContext,
  input: DescribeLogStreamsRequest,
  _request: RequestContext,
): Promise<Wire<DescribeLogStreamsResponse>> {
  const groupName = groupNameOf(ctx.partition, input);
  const limit = checkLimit(input.limit, 50) ?? 50;
  const orderBy = input.orderBy ?? 'LogStreamName';
  if (!(ORDERS as readonly string[]).includes(orderBy)) {
    throw validationFailed('orderBy', orderBy, `Member must satisfy enum value set: [${ORDERS.join(', ')}]`);
  }
  const prefix = input.logStreamNamePrefix;
  if (prefix !== undefined) {
    checkStreamName(prefix, 'logStreamNamePrefix');
    if (orderBy === 'LastEventTime') {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
  }
  const group = await getLogGroup(ctx.store, groupName);
  const stored = await ctx.store.list<LogStreamRecord>(Kind.LogStream, {
    prefix: logsKeys.streamsOf(groupName) + (prefix ?? ''),
  });
  const stats = await ctx.events.streamStats(group.id);
  const rows = stored.map((s) => ({ record: s.value, stats: stats.get(s.value.id) }));
  // Sort keys that order as strings: the name, or the last event time (zero-padded) then the name.
  const keyOf =
    orderBy === 'LogStreamName'
      ? (r: (typeof rows)[number]) => r.record.logStreamName
      : (r: (typeof rows)[number]) =>
          `${String(r.stats?.lastEventTimestamp ?? 0).padStart(16, '0')}:${r.record.logStreamName}`;
  const descending = input.descending === true;
  rows.sort((a, b) => {
    const c = keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
    return descending ? -c : c;
  });
  // Pages continue from an index into the sorted order (the key alone cannot say which way).
  const ranked = rows.map((r, i) => ({ ...r, rank: String(i).padStart(10, '0') }));
  const p = page(ranked, (r) => `${r.rank}|${keyOf(r)}`, input.nextToken, limit);
  const logStreams: Wire<LogStream>[] = p.items.map(({ record, stats: s }) => ({
    logStreamName: record.logStreamName,
    creationTime: record.creationTime,
    ...(s
      ? {
          firstEventTimestamp: s.firstEventTimestamp,
          lastEventTimestamp: s.lastEventTimestamp,
          lastIngestionTime: s.lastIngestionTime,
        }
      : {}),
    arn: logStreamArn(ctx.partition, groupName, record.logStreamName),
    storedBytes: s?.storedBytes ?? 0,
  }));
  return { logStreams, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
}
