/**
 * DescribeAlarms: the region's alarms by name order, filtered by names or a name prefix, state,
 * action prefix and type (metric alarms only unless AlarmTypes asks for composite ones, as
 * CloudWatch answers), or the children / parents of a composite alarm; pages of MaxRecords (50).
 */
import type {
  CompositeAlarm,
  DescribeAlarmsInput,
  DescribeAlarmsOutput,
  MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import { maxRecords, page } from './alarms/alarm-context.ts';
import { compositeAlarmOutput, metricAlarmOutput } from './model/alarm-output.ts';
import { ALARM_STATES, type AlarmRecord, alarmNameOfArn } from './model/alarm-records.ts';
import { parseAlarmRule, ruleAlarms } from './model/alarm-rule.ts';
import { listAlarms } from './model/alarms.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { checkSize, invalidCombination, invalidParameter } from './errors.ts';

const TYPES = ['MetricAlarm', 'CompositeAlarm'];

export async function describeAlarms(
  ctx: CloudWatchContext,
  input: DescribeAlarmsInput,
  _request: RequestContext,
): Promise<DescribeAlarmsOutput> {
  const max = maxRecords(input.MaxRecords, 50);
  checkSize(input.AlarmNames, 'AlarmNames', 100);
  const types = input.AlarmTypes ?? ['MetricAlarm'];
  types.forEach((t, i) => {
    if (!TYPES.includes(t)) throw invalidParameter(t, `AlarmTypes.member.${i + 1}`);
  });
  if (input.AlarmNames && input.AlarmNamePrefix !== undefined)
    throw invalidCombination(
      'The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.',
    );
  if (input.StateValue !== undefined && !(ALARM_STATES as readonly string[]).includes(input.StateValue))
    throw invalidParameter(input.StateValue, 'StateValue');
  const family = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (input.ChildrenOfAlarmName !== undefined && input.ParentsOfAlarmName !== undefined)
    throw invalidCombination(
      'The parameters ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive and you have specified both.',
    );
  if (
    family !== undefined &&
    (input.AlarmNames || input.AlarmNamePrefix || input.StateValue || input.ActionPrefix || input.AlarmTypes)
  )
    throw invalidCombination(
      `If you specify ${input.ChildrenOfAlarmName !== undefined ? 'ChildrenOfAlarmName' : 'ParentsOfAlarmName'}, you cannot specify any other parameters in the request except for MaxRecords and NextToken.`,
    );
  const all = await listAlarms(ctx.store);
  const refsOf = (a: AlarmRecord) =>
    a.type === 'CompositeAlarm'
      ? ruleAlarms(parseAlarmRule(a.alarmRule)).map((r) => alarmNameOfArn(ctx.partition, r) ?? r)
      : [];
  let chosen: AlarmRecord[];
  if (input.ChildrenOfAlarmName !== undefined) {
    const parent = all.find((a) => a.name === input.ChildrenOfAlarmName);
    const children = new Set(parent ? refsOf(parent) : []);
    chosen = all.filter((a) => children.has(a.name));
  } else if (input.ParentsOfAlarmName !== undefined) {
    const child = input.ParentsOfAlarmName;
    chosen = all.filter((a) => refsOf(a).includes(child));
  } else {
    const names = input.AlarmNames ? new Set(input.AlarmNames) : undefined;
    const prefix = input.AlarmNamePrefix;
    const action = input.ActionPrefix;
    chosen = all.filter(
      (a) =>
        types.includes(a.type) &&
        (!names || names.has(a.name)) &&
        (prefix === undefined || a.name.startsWith(prefix)) &&
        (input.StateValue === undefined || a.state.value === input.StateValue) &&
        (action === undefined ||
          [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((arn) =>
            arn.startsWith(action),
          )),
    );
  }
  chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { items, next } = page(chosen, input.NextToken, max);
  const suppressed = (a: AlarmRecord) => {
    if (a.type !== 'CompositeAlarm' || !a.actionsSuppressor) return undefined;
    const s = all.find((x) => x.arn === a.actionsSuppressor);
    return s?.state.value === 'ALARM' ? ('Alarm' as const) : undefined;
  };
  const metricAlarms: MetricAlarm[] = [];
  const compositeAlarms: CompositeAlarm[] = [];
  for (const a of items)
    if (a.type === 'MetricAlarm') metricAlarms.push(metricAlarmOutput(a));
    else compositeAlarms.push(compositeAlarmOutput(a, suppressed(a)));
  const withComposite = family !== undefined || types.includes('CompositeAlarm');
  const withMetric = family !== undefined || types.includes('MetricAlarm');
  return {
    ...(withMetric ? { MetricAlarms: metricAlarms } : {}),
    ...(withComposite ? { CompositeAlarms: compositeAlarms } : {}),
    ...(next ? { NextToken: next } : {}),
  };
}
