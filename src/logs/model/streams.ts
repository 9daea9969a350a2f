/** Log streams without HTTP: create, find, delete (with their events). */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { LogsErrorCode, streamNotFound } from './errors.ts';
import { getLogGroup } from './groups.ts';
import { checkGroupName, checkStreamName } from './names.ts';
import { type LogsContext, type LogStreamRecord, logsKeys } from './records.ts';

export async function createLogStream(
  ctx: LogsContext,
  logGroupName: string,
  logStreamName: string,
): Promise<LogStreamRecord> {
  checkGroupName(logGroupName);
  checkStreamName(logStreamName);
  const id = await ctx.events.newId();
  return ctx.store.transact(async (tx) => {
    await getLogGroup(tx, logGroupName);
    const key = logsKeys.stream(logGroupName, logStreamName);
    if (await tx.get(Kind.LogStream, key)) {
      throw new ServiceError(LogsErrorCode.ResourceAlreadyExists, 'The specified log stream already exists');
    }
    const record: LogStreamRecord = { logGroupName, logStreamName, id, creationTime: ctx.clock.now() };
    await tx.put(Kind.LogStream, key, record, 'absent');
    return record;
  });
}

export async function getLogStream(reader: Reader, group: string, stream: string): Promise<LogStreamRecord> {
  const stored = await reader.get<LogStreamRecord>(Kind.LogStream, logsKeys.stream(group, stream));
  if (!stored) throw streamNotFound();
  return stored.value;
}

export async function deleteLogStream(
  ctx: LogsContext,
  logGroupName: string,
  logStreamName: string,
): Promise<void> {
  const { groupId, streamId } = await ctx.store.transact(async (tx) => {
    const group = await getLogGroup(tx, logGroupName);
    const stream = await getLogStream(tx, logGroupName, logStreamName);
    await tx.remove(Kind.LogStream, logsKeys.stream(logGroupName, logStreamName));
    return { groupId: group.id, streamId: stream.id };
  });
  await ctx.events.deleteEvents(groupId, streamId);
}
