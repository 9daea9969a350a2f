/**
 * Alarms as every caller writes them, inside the caller's transaction: PutMetricAlarm and
 * PutCompositeAlarm (create or replace), DeleteAlarms, reads. Application Auto Scaling's
 * target-tracking alarms go through `putAlarm` too, so they get the same checks and history.
 *
 *   await store.transact((tx) => putAlarm(tx, ctx, { AlarmName: 'cpu-high', MetricName: 'CPUUtilization',
 *     Namespace: 'AWS/ECS', Statistic: 'Average', Period: 60, EvaluationPeriods: 3, Threshold: 75,
 *     ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [policyArn] }));
 *
 * A new alarm starts INSUFFICIENT_DATA ("Unchecked: Initial alarm creation") and is evaluated by the
 * alarm-evaluation controller; a replaced alarm keeps its state and its tags (CloudWatch ignores Tags
 * on an update) and the new configuration applies from its next evaluation.
 */
import type { PutCompositeAlarmInput, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { alarmInvalidValue, alarmLimitExceeded, alarmMissing, alarmValidation } from './alarm-errors.ts';
import { addHistory, HistoryItemType } from './alarm-history.ts';
import { alarmConfigJson } from './alarm-output.ts';
import {
  type AlarmContext,
  type AlarmRecord,
  alarmArn,
  alarmNameOfArn,
  type CompositeAlarmRecord,
  type MetricAlarmRecord,
} from './alarm-records.ts';
import { parseAlarmRule, ruleAlarms } from './alarm-rule.ts';
import {
  checkActions,
  checkAlarmName,
  checkDescription,
  checkTags,
  metricAlarmConfig,
} from './alarm-validate.ts';

/** Alarms per region: CloudWatch has no fixed quota any more; this bounds a runaway script. */
export const MAX_ALARMS = 100_000;
export const INITIAL_REASON = 'Unchecked: Initial alarm creation';

export async function getAlarm(reader: Reader, name: string): Promise<AlarmRecord | undefined> {
  return (await reader.get<AlarmRecord>(Kind.CloudWatchAlarm, name))?.value;
}

/** Every alarm of the region, by name. */
export async function listAlarms(reader: Reader): Promise<AlarmRecord[]> {
  return (await reader.list<AlarmRecord>(Kind.CloudWatchAlarm)).map((r) => r.value);
}

/** Creates or replaces a metric alarm (PutMetricAlarm); throws CloudWatch's error for bad input. */
export async function putAlarm(
  tx: Tx,
  ctx: AlarmContext,
  input: PutMetricAlarmInput,
): Promise<MetricAlarmRecord> {
  const name = checkAlarmName(input.AlarmName);
  checkDescription(input.AlarmDescription);
  checkActions(input);
  const config = metricAlarmConfig(input);
  const tags = checkTags(input.Tags);
  const existing = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
  if (existing?.value.type === 'CompositeAlarm')
    throw alarmValidation(`The alarm ${name} is a composite alarm; a metric alarm cannot replace it.`);
  const record: MetricAlarmRecord = {
    type: 'MetricAlarm',
    ...common(ctx, name, input, existing?.value, tags),
    ...config,
  };
  await write(tx, ctx, record, existing);
  return record;
}

/** Creates or replaces a composite alarm (PutCompositeAlarm). */
export async function putCompositeAlarm(
  tx: Tx,
  ctx: AlarmContext,
  input: PutCompositeAlarmInput,
): Promise<CompositeAlarmRecord> {
  const name = checkAlarmName(input.AlarmName);
  checkDescription(input.AlarmDescription);
  checkActions(input);
  for (const arn of [
    ...(input.AlarmActions ?? []),
    ...(input.OKActions ?? []),
    ...(input.InsufficientDataActions ?? []),
  ])
    if (/^arn:aws[a-z-]*:(autoscaling|automate|swf):/.test(arn))
      throw alarmValidation(`Composite alarms cannot perform EC2 or Auto Scaling actions: ${arn}`);
  const tags = checkTags(input.Tags);
  if (input.AlarmRule === undefined) throw alarmMissing('AlarmRule');
  if (input.AlarmRule.length < 1 || input.AlarmRule.length > 10240)
    throw alarmInvalidValue('The parameter AlarmRule must be 1 to 10240 characters long.');
  const rule = parseAlarmRule(input.AlarmRule);
  const existing = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
  if (existing && existing.value.type !== 'CompositeAlarm')
    throw alarmValidation(`The alarm ${name} is a metric alarm; a composite alarm cannot replace it.`);
  const all = new Map((await listAlarms(tx)).map((a) => [a.name, a]));
  const children = ruleAlarms(rule).map((ref) => ({ ref, name: alarmNameOfArn(ctx.partition, ref) ?? ref }));
  const unknown = children.filter((c) => !all.has(c.name) && c.name !== name).map((c) => c.ref);
  if (unknown.length > 0)
    throw alarmValidation(
      `Could not save the composite alarm as alarms [${unknown.join(', ')}] in the alarm rule do not exist`,
    );
  if (
    children.some((c) => c.name === name) ||
    reaches(
      all,
      children.map((c) => c.name),
      name,
    )
  )
    throw alarmValidation(
      'Could not save the composite alarm as a circular dependency was found in the alarm rule.',
    );
  const suppressor = checkSuppressor(ctx, input, all);
  const record: CompositeAlarmRecord = {
    type: 'CompositeAlarm',
    ...common(ctx, name, input, existing?.value, tags),
    alarmRule: input.AlarmRule,
    ...suppressor,
  };
  await write(tx, ctx, record, existing);
  return record;
}

/**
 * Deletes alarms by name; names that do not exist are skipped, as CloudWatch does. An alarm that a
 * composite alarm not deleted in the same call names in its rule cannot go.
 */
export async function deleteAlarms(tx: Tx, ctx: AlarmContext, names: readonly string[]): Promise<string[]> {
  const all = new Map((await listAlarms(tx)).map((a) => [a.name, a]));
  const going = new Set(names.filter((n) => all.has(n)));
  const blocked: string[] = [];
  for (const parent of all.values()) {
    if (parent.type !== 'CompositeAlarm' || going.has(parent.name)) continue;
    const refs = ruleAlarms(parseAlarmRule(parent.alarmRule)).map(
      (r) => alarmNameOfArn(ctx.partition, r) ?? r,
    );
    for (const child of refs) if (going.has(child) && !blocked.includes(child)) blocked.push(child);
  }
  if (blocked.length > 0)
    throw alarmValidation(
      `Could not delete the alarms [${blocked.join(', ')}]: composite alarms reference them in their alarm rules.`,
    );
  for (const name of going) {
    const alarm = all.get(name) as AlarmRecord;
    await tx.remove(Kind.CloudWatchAlarm, name);
    await addHistory(tx, ctx, {
      alarmName: name,
      alarmType: alarm.type,
      type: HistoryItemType.ConfigurationUpdate,
      summary: `Alarm "${name}" deleted`,
      data: JSON.stringify({ version: '1.0', type: 'Delete', deletedAlarm: alarmConfigJson(alarm) }),
    });
  }
  return [...going];
}

/** Enable/DisableAlarmActions: unknown names are skipped; a configuration update is recorded. */
export async function setActionsEnabled(
  tx: Tx,
  ctx: AlarmContext,
  names: readonly string[],
  enabled: boolean,
): Promise<void> {
  for (const name of new Set(names)) {
    const row = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
    if (!row || row.value.actionsEnabled === enabled) continue;
    const record = { ...row.value, actionsEnabled: enabled, configurationUpdatedAt: ctx.clock.now() };
    await tx.put(Kind.CloudWatchAlarm, name, record, row.version);
    await addHistory(tx, ctx, {
      alarmName: name,
      alarmType: record.type,
      type: HistoryItemType.ConfigurationUpdate,
      summary: `Alarm "${name}" updated`,
      data: JSON.stringify({
        version: '1.0',
        type: 'Update',
        originalUpdatedAlarm: alarmConfigJson(row.value),
        updatedAlarm: alarmConfigJson(record),
      }),
    });
  }
}

function common(
  ctx: AlarmContext,
  name: string,
  input: PutMetricAlarmInput | PutCompositeAlarmInput,
  existing: AlarmRecord | undefined,
  tags: AlarmRecord['tags'],
) {
  const now = ctx.clock.now();
  return {
    name,
    arn: alarmArn(ctx.partition, name),
    ...(input.AlarmDescription !== undefined ? { description: input.AlarmDescription } : {}),
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions: input.OKActions ?? [],
    alarmActions: input.AlarmActions ?? [],
    insufficientDataActions: input.InsufficientDataActions ?? [],
    configurationUpdatedAt: now,
    state: existing?.state ?? {
      value: 'INSUFFICIENT_DATA' as const,
      reason: INITIAL_REASON,
      updatedAt: now,
      transitionedAt: now,
    },
    tags: existing ? existing.tags : tags,
    pendingActions: existing?.pendingActions ?? [],
  };
}

async function write(
  tx: Tx,
  ctx: AlarmContext,
  record: AlarmRecord,
  existing: { version: number; value: AlarmRecord } | undefined,
): Promise<void> {
  if (!existing && (await tx.list(Kind.CloudWatchAlarm)).length >= MAX_ALARMS)
    throw alarmLimitExceeded(`The maximum of ${MAX_ALARMS} alarms has been reached.`);
  await tx.put(Kind.CloudWatchAlarm, record.name, record, existing ? existing.version : 'absent');
  await addHistory(tx, ctx, {
    alarmName: record.name,
    alarmType: record.type,
    type: HistoryItemType.ConfigurationUpdate,
    summary: `Alarm "${record.name}" ${existing ? 'updated' : 'created'}`,
    data: JSON.stringify(
      existing
        ? {
            version: '1.0',
            type: 'Update',
            originalUpdatedAlarm: alarmConfigJson(existing.value),
            updatedAlarm: alarmConfigJson(record),
          }
        : { version: '1.0', type: 'Create', createdAlarm: alarmConfigJson(record) },
    ),
  });
}

/** Whether following composite rules from `from` leads back to `target`. */
function reaches(all: ReadonlyMap<string, AlarmRecord>, from: readonly string[], target: string): boolean {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const alarm = all.get(name);
    if (alarm?.type === 'CompositeAlarm')
      for (const ref of ruleAlarms(parseAlarmRule(alarm.alarmRule)))
        stack.push(ref.split(':alarm:').pop() ?? ref);
  }
  return false;
}

function checkSuppressor(
  ctx: AlarmContext,
  input: PutCompositeAlarmInput,
  all: ReadonlyMap<string, AlarmRecord>,
): Pick<
  CompositeAlarmRecord,
  'actionsSuppressor' | 'actionsSuppressorWaitPeriod' | 'actionsSuppressorExtensionPeriod'
> {
  const arn = input.ActionsSuppressor;
  const wait = input.ActionsSuppressorWaitPeriod;
  const extension = input.ActionsSuppressorExtensionPeriod;
  if (arn === undefined) {
    if (wait !== undefined || extension !== undefined)
      throw alarmValidation(
        'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.',
      );
    return {};
  }
  const name = alarmNameOfArn(ctx.partition, arn);
  if (!name || !all.has(name))
    throw alarmValidation(
      `Could not save the composite alarm as the actions suppressor ${arn} does not exist`,
    );
  if (wait === undefined || extension === undefined)
    throw alarmValidation(
      'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required with ActionsSuppressor.',
    );
  if (wait < 0 || extension < 0) throw alarmInvalidValue('Actions suppressor periods must not be negative.');
  return {
    actionsSuppressor: arn,
    actionsSuppressorWaitPeriod: wait,
    actionsSuppressorExtensionPeriod: extension,
  };
}
