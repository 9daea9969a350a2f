/**
 * TestEventPattern: whether an event matches a pattern. The event must be a JSON object with the
 * envelope's fields EventBridge requires (id, account, source, time, region, detail-type); its
 * `account` must be the caller's.
 */
import type { TestEventPatternRequest, TestEventPatternResponse } from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { compilePattern } from '../pattern/compile-pattern.ts';
import { validation } from '../model/errors.ts';
import type { EventsContext } from '../model/records.ts';
import { checkPattern } from './put-rule.ts';

const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

export async function testEventPattern(
  ctx: EventsContext,
  input: Wire<TestEventPatternRequest>,
): Promise<Wire<TestEventPatternResponse>> {
  checkPattern(input.EventPattern ?? '');
  let event: unknown;
  try {
    event = JSON.parse(input.Event ?? '');
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw validation('Parameter Event is not valid.');
  }
  const record = event as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => record[k] === undefined);
  if (missing.length > 0) {
    throw validation(`Parameter Event is not valid. Reason: missing required fields: ${missing.join(', ')}`);
  }
  if (record.account !== ctx.partition.accountId) {
    throw validation(
      "Parameter Event is not valid. Reason: Value of the key 'account' must be this account's id.",
    );
  }
  return { Result: compilePattern(input.EventPattern!).matches(event) };
}
