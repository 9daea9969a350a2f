/**
 * The records CloudWatch Logs keeps in the store (one region's view): log groups, log streams
 * and metric filters. Events are not records: they live in the event store (event-store.ts),
 * keyed by the numeric ids these records carry, so a group deleted and created again under the
 * same name never sees the old group's events.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { EventStore } from './event-store.ts';

/** What the logs model and handlers work with, per region. */
export interface LogsContext {
  store: Store;
  clock: Clock;
  partition: Partition;
  /** The events of every region (ids are unique across them). */
  events: EventStore;
}

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

/** Kind.LogGroup, keyed by name. */
export interface LogGroupRecord {
  logGroupName: string;
  /** The group's id in the event store. */
  id: number;
  /** Epoch ms. */
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: LogGroupClass;
  deletionProtectionEnabled?: boolean;
  tags: Record<string, string>;
}

/** Kind.LogStream, keyed by `logsKeys.stream(group, stream)`. */
export interface LogStreamRecord {
  logGroupName: string;
  logStreamName: string;
  id: number;
  /** Epoch ms. */
  creationTime: number;
}

/** One metric transformation, as PutMetricFilter takes it. */
export interface MetricTransformationRecord {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

/** Kind.LogMetricFilter, keyed by `logsKeys.metricFilter(group, filter)`. */
export interface MetricFilterRecord {
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformationRecord[];
  /** Epoch ms. */
  creationTime: number;
  applyOnTransformedLogs?: boolean;
}

/** Keys: group names never hold `:` and stream / filter names never do either, so `group:` is a safe prefix. */
export const logsKeys = {
  group: (name: string): string => name,
  stream: (group: string, stream: string): string => `${group}:${stream}`,
  streamsOf: (group: string): string => `${group}:`,
  metricFilter: (group: string, filter: string): string => `${group}:${filter}`,
  metricFiltersOf: (group: string): string => `${group}:`,
} as const;

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`; `arn` adds `:*`). */
export const logGroupArn = (p: Partition, name: string): string =>
  `arn:aws:logs:${p.region}:${p.accountId}:log-group:${name}`;

export const logStreamArn = (p: Partition, group: string, stream: string): string =>
  `${logGroupArn(p, group)}:log-stream:${stream}`;
