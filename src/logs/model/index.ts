/**
 * What other parts of Longshore use of CloudWatch Logs without HTTP (the agent's awslogs
 * shipping through the control plane, the retention sweeper): log groups, streams and events.
 */
export { type CreateLogGroupInput, createLogGroup, deleteLogGroup, getLogGroup } from './groups.ts';
export { createLogStream, deleteLogStream, getLogStream } from './streams.ts';
export { type PutLogEventsInput, type PutLogEventsResult, putLogEvents } from './put-events.ts';
export type { EventStore, NewEvent, StoredEvent } from './event-store.ts';
export { SqliteEventStore } from './sqlite-event-store.ts';
export { expireGroupEvents, RETENTION_DAYS } from './retention.ts';
export type { LogGroupRecord, LogStreamRecord, LogsContext } from './records.ts';
