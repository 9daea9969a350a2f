/** DescribeAlarms: the account's alarms; Longshore has no alarms yet, so the lists are empty. */
import type { DescribeAlarmsInput, DescribeAlarmsOutput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';

/**
 * CloudWatch returns metric alarms only unless AlarmTypes asks for composite ones, so
 * CompositeAlarms is present only then. An account without alarms gets empty lists, not an error.
 */
export async function describeAlarms(
  _ctx: CloudWatchContext,
  input: DescribeAlarmsInput,
  _request: RequestContext,
): Promise<DescribeAlarmsOutput> {
  const types = input.AlarmTypes ?? ['MetricAlarm'];
  return {
    ...(types.includes('MetricAlarm') ? { MetricAlarms: [] } : {}),
    ...(types.includes('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
  };
}
