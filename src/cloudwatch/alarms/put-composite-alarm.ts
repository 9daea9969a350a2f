/** PutCompositeAlarm: creates or replaces a composite alarm; its rule is checked in model/alarm-rule.ts. */
import type { PutCompositeAlarmInput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../../aws/service.ts';
import { putCompositeAlarm as put } from '../model/alarms.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { alarmContext } from './alarm-context.ts';

export async function putCompositeAlarm(
  ctx: CloudWatchContext,
  input: PutCompositeAlarmInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  await ctx.store.transact((tx) => put(tx, alarmContext(ctx), input));
  return {};
}
