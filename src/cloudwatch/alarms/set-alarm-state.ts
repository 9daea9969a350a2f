/**
 * SetAlarmState: sets an alarm's state until its next evaluation, as CloudWatch does (for testing
 * actions): history, event and actions follow as for an evaluated change. StateReasonData must be
 * JSON (InvalidFormat otherwise).
 */
import type { SetAlarmStateInput } from '@aws-sdk/client-cloudwatch';
import { ServiceError } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import type { RequestContext } from '../../aws/service.ts';
import { alarmNotFound } from '../model/alarm-errors.ts';
import { ALARM_STATES, type AlarmRecord, type AlarmStateValue } from '../model/alarm-records.ts';
import { changeAlarmState } from '../model/alarm-state.ts';
import { checkAlarmName } from '../model/alarm-validate.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { invalidParameter, invalidValue } from '../errors.ts';
import { alarmContext } from './alarm-context.ts';

export async function setAlarmState(
  ctx: CloudWatchContext,
  input: SetAlarmStateInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const name = checkAlarmName(input.AlarmName);
  const value = input.StateValue ?? '';
  if (!(ALARM_STATES as readonly string[]).includes(value)) throw invalidParameter(value, 'StateValue');
  const reason = input.StateReason ?? '';
  if (reason.length > 1023)
    throw invalidValue('The parameter StateReason must be at most 1023 characters long.');
  const data = input.StateReasonData;
  if (data !== undefined) {
    if (data.length > 4000)
      throw invalidValue('The parameter StateReasonData must be at most 4000 characters long.');
    try {
      JSON.parse(data);
    } catch {
      throw new ServiceError('InvalidFormatFault', 'StateReasonData is not valid JSON.');
    }
  }
  await ctx.store.transact(async (tx) => {
    const row = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
    if (!row) throw alarmNotFound(`Alarm ${name} not found`);
    await changeAlarmState(tx, alarmContext(ctx), row.value, row.version, {
      value: value as AlarmStateValue,
      reason,
      ...(data !== undefined ? { reasonData: data } : {}),
    });
  });
  return {};
}
