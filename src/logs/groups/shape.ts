/** A log group as DescribeLogGroups shows it. */
import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { Partition } from '../../core/arn.ts';
import type { Wire } from '../../core/wire.ts';
import { type LogGroupRecord, logGroupArn } from '../model/records.ts';

export function logGroupShape(
  p: Partition,
  g: LogGroupRecord,
  metricFilterCount: number,
  storedBytes: number,
): Wire<LogGroup> {
  const arn = logGroupArn(p, g.logGroupName);
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount,
    arn: `${arn}:*`,
    storedBytes,
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
    ...(g.deletionProtectionEnabled ? { deletionProtectionEnabled: true } : {}),
  };
}
