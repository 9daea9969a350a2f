/** TestMetricFilter: which of up to 50 messages a pattern matches, with the fields it extracts. */
import type { TestMetricFilterRequest, TestMetricFilterResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { extractedValues } from '../filter-pattern/index.ts';
import { validationFailed } from '../model/errors.ts';
import type { LogsContext } from '../model/records.ts';
import { metricPattern } from './transformations.ts';

export async function testMetricFilter(
  _ctx: LogsContext,
  input: TestMetricFilterRequest,
  _request: RequestContext,
): Promise<Wire<TestMetricFilterResponse>> {
  const messages = input.logEventMessages ?? [];
  if (messages.length < 1 || messages.length > 50) {
    throw validationFailed(
      'logEventMessages',
      `[${messages.length} messages]`,
      messages.length < 1
        ? 'Member must have length greater than or equal to 1'
        : 'Member must have length less than or equal to 50',
    );
  }
  const pattern = metricPattern(input.filterPattern!);
  const matches = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const match = pattern.match(message);
    if (match)
      matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: extractedValues(match) });
  }
  return { matches };
}
