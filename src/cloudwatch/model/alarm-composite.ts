/**
 * One evaluation of a composite alarm from its children's states. Pure. The rule TRUE -> ALARM;
 * FALSE -> OK, unless every alarm the rule names is INSUFFICIENT_DATA (or gone), which leaves
 * nothing to judge by -> INSUFFICIENT_DATA. The reason names the child whose change decided it,
 * as CloudWatch writes it: `arn:...:alarm:cpu transitioned to ALARM at Friday 01 January, 2021
 * 14:00:00 UTC`, with the triggering alarms in StateReasonData.
 */
import { javaJson, jsonDate, longDate } from './alarm-format.ts';
import {
  type AlarmRecord,
  alarmNameOfArn,
  type CompositeAlarmRecord,
  type AlarmContext,
} from './alarm-records.ts';
import { evaluateRule, parseAlarmRule, type RuleNode, ruleAlarms } from './alarm-rule.ts';
import type { StateChange } from './alarm-state.ts';

export function evaluateCompositeAlarm(
  alarm: CompositeAlarmRecord,
  children: ReadonlyMap<string, AlarmRecord>,
  partition: AlarmContext['partition'],
): StateChange {
  const rule = parseAlarmRule(alarm.alarmRule);
  const child = (ref: string) => children.get(alarmNameOfArn(partition, ref) ?? ref);
  const truth = evaluateRule(rule, (ref) => child(ref)?.state.value);
  const refs = ruleAlarms(rule);
  const present = refs.map(child).filter((c): c is AlarmRecord => c !== undefined);
  const value = truth
    ? 'ALARM'
    : refs.length > 0 && present.every((c) => c.state.value === 'INSUFFICIENT_DATA')
      ? 'INSUFFICIENT_DATA'
      : 'OK';
  // The children that make the rule's leaves true (ALARM), else the latest to change.
  let triggering = truth ? matchingLeaves(rule, child) : [];
  if (triggering.length === 0 && present.length > 0)
    triggering = [present.reduce((a, b) => (b.state.transitionedAt > a.state.transitionedAt ? b : a))];
  const latest = triggering.reduce<AlarmRecord | undefined>(
    (a, b) => (a === undefined || b.state.transitionedAt > a.state.transitionedAt ? b : a),
    undefined,
  );
  const reason = latest
    ? `${latest.arn} transitioned to ${latest.state.value} at ${longDate(latest.state.transitionedAt)}`
    : `The alarm rule ${alarm.alarmRule} is ${truth ? 'TRUE' : 'FALSE'}`;
  return {
    value,
    reason,
    reasonData: javaJson({
      triggeringAlarms: triggering.map((c) => ({
        arn: c.arn,
        state: { value: c.state.value, timestamp: jsonDate(c.state.transitionedAt) },
      })),
    }),
  };
}

function matchingLeaves(
  node: RuleNode,
  child: (ref: string) => AlarmRecord | undefined,
  out: AlarmRecord[] = [],
): AlarmRecord[] {
  if (node.type === 'state') {
    const c = child(node.alarm);
    if (c && c.state.value === node.state && !out.includes(c)) out.push(c);
  } else if (node.type === 'and' || node.type === 'or') {
    matchingLeaves(node.left, child, out);
    matchingLeaves(node.right, child, out);
  }
  return out;
}
