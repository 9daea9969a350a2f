/** Log groups without HTTP: create, find, delete (with their streams, filters and events). */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { groupNotFound, LogsErrorCode } from './errors.ts';
import { checkNewGroupName } from './names.ts';
import type {
  LogGroupClass,
  LogGroupRecord,
  LogsContext,
  LogStreamRecord,
  MetricFilterRecord,
} from './records.ts';
import { logsKeys } from './records.ts';

export interface CreateLogGroupInput {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  logGroupClass?: LogGroupClass;
  deletionProtectionEnabled?: boolean;
}

export async function createLogGroup(ctx: LogsContext, input: CreateLogGroupInput): Promise<LogGroupRecord> {
  checkNewGroupName(input.logGroupName);
  const id = await ctx.events.newId();
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.LogGroup, logsKeys.group(input.logGroupName))) {
      throw new ServiceError(LogsErrorCode.ResourceAlreadyExists, 'The specified log group already exists');
    }
    const record: LogGroupRecord = {
      logGroupName: input.logGroupName,
      id,
      creationTime: ctx.clock.now(),
      logGroupClass: input.logGroupClass ?? 'STANDARD',
      tags: { ...input.tags },
      ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
      ...(input.deletionProtectionEnabled ? { deletionProtectionEnabled: true } : {}),
    };
    await tx.put(Kind.LogGroup, logsKeys.group(input.logGroupName), record, 'absent');
    return record;
  });
}

/** The group, or ResourceNotFoundException. */
export async function getLogGroup(reader: Reader, name: string): Promise<LogGroupRecord> {
  const stored = await reader.get<LogGroupRecord>(Kind.LogGroup, logsKeys.group(name));
  if (!stored) throw groupNotFound();
  return stored.value;
}

/** Removes the group's records in one transaction, then its events (a crash between leaves only unreachable events). */
export async function deleteLogGroup(ctx: LogsContext, name: string): Promise<void> {
  const group = await ctx.store.transact(async (tx) => {
    const g = await getLogGroup(tx, name);
    if (g.deletionProtectionEnabled) {
      throw new ServiceError(
        LogsErrorCode.Validation,
        'Log group deletion protection is enabled. Disable deletion protection before deleting the log group.',
      );
    }
    for (const s of await tx.list<LogStreamRecord>(Kind.LogStream, { prefix: logsKeys.streamsOf(name) })) {
      await tx.remove(Kind.LogStream, s.key);
    }
    for (const f of await tx.list<MetricFilterRecord>(Kind.LogMetricFilter, {
      prefix: logsKeys.metricFiltersOf(name),
    })) {
      await tx.remove(Kind.LogMetricFilter, f.key);
    }
    await tx.remove(Kind.LogGroup, logsKeys.group(name));
    return g;
  });
  await ctx.events.deleteEvents(group.id);
}
