/** DeleteAlarms and Enable/DisableAlarmActions: up to 100 names; names that do not exist are skipped. */
import type {
  DeleteAlarmsInput,
  DisableAlarmActionsInput,
  EnableAlarmActionsInput,
} from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../../aws/service.ts';
import { checkAlarmName } from '../model/alarm-validate.ts';
import { deleteAlarms as remove, setActionsEnabled } from '../model/alarms.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { checkSize } from '../errors.ts';
import { alarmContext } from './alarm-context.ts';

function names(list: string[] | undefined): string[] {
  const all = list ?? [];
  checkSize(all, 'AlarmNames', 100);
  all.forEach((n, i) => {
    checkAlarmName(n, `AlarmNames.member.${i + 1}`);
  });
  return all;
}

export async function deleteAlarms(
  ctx: CloudWatchContext,
  input: DeleteAlarmsInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const list = names(input.AlarmNames);
  await ctx.store.transact((tx) => remove(tx, alarmContext(ctx), list));
  return {};
}

export async function enableAlarmActions(
  ctx: CloudWatchContext,
  input: EnableAlarmActionsInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const list = names(input.AlarmNames);
  await ctx.store.transact((tx) => setActionsEnabled(tx, alarmContext(ctx), list, true));
  return {};
}

export async function disableAlarmActions(
  ctx: CloudWatchContext,
  input: DisableAlarmActionsInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const list = names(input.AlarmNames);
  await ctx.store.transact((tx) => setActionsEnabled(tx, alarmContext(ctx), list, false));
  return {};
}
