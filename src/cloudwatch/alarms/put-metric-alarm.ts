/**
 * PutMetricAlarm: creates or replaces a metric alarm (model/alarms.ts holds every check shared with
 * other callers). Metric math expressions are parsed here first, as GetMetricData parses them, so a
 * malformed expression is refused before anything is written.
 */
import type { PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../../aws/service.ts';
import { type Node, parseExpression, referencedIds } from '../metric-math/parse.ts';
import { alarmValidation } from '../model/alarm-errors.ts';
import { putAlarm } from '../model/alarms.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { alarmContext } from './alarm-context.ts';

export async function putMetricAlarm(
  ctx: CloudWatchContext,
  input: PutMetricAlarmInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkExpressions(input);
  await ctx.store.transact((tx) => putAlarm(tx, alarmContext(ctx), input));
  return {};
}

function checkExpressions(input: PutMetricAlarmInput): void {
  const ids = new Set((input.Metrics ?? []).map((q) => q.Id));
  (input.Metrics ?? []).forEach((q, i) => {
    if (q.Expression === undefined) return;
    const at = `Metrics.member.${i + 1}.Expression`;
    let tree: Node;
    try {
      tree = parseExpression(q.Expression);
    } catch (error) {
      throw alarmValidation(`The value for parameter ${at} is not valid: ${(error as Error).message}`);
    }
    for (const ref of referencedIds(tree))
      if (!ids.has(ref))
        throw alarmValidation(
          `The value for parameter ${at} is not valid: Unknown metric or expression id "${ref}".`,
        );
    if (/\bSEARCH\s*\(/.test(q.Expression))
      throw alarmValidation(`The value for parameter ${at} is not valid: SEARCH is not supported in alarms.`);
  });
}
