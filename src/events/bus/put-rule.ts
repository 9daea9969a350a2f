/**
 * PutRule: creates or updates a rule (its targets and tags are kept on update). A rule has an
 * EventPattern, validated by the pattern compiler with EventBridge's InvalidEventPatternException
 * wording, or a ScheduleExpression (`rate()` / six-field `cron()`, default bus only), or both.
 */
import type { PutRuleRequest, PutRuleResponse } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { compilePattern, PatternError } from '../pattern/compile-pattern.ts';
import { requireBus } from '../model/buses.ts';
import { constraintFailed, EventsErrorCode, limitExceeded, validation } from '../model/errors.ts';
import { checkRuleName } from '../model/names.ts';
import {
  DEFAULT_BUS,
  type EventsContext,
  eventsKeys,
  type RuleRecord,
  ruleArn,
  RuleState,
} from '../model/records.ts';
import { parseRuleScheduleExpression, RULE_EXPRESSION_MESSAGE } from '../model/schedule-expression.ts';
import { tagMap } from './tags-input.ts';

/** EventBridge's quota of rules per event bus. */
export const MAX_RULES_PER_BUS = 300;
const STATES: readonly string[] = Object.values(RuleState);

export async function putRule(
  ctx: EventsContext,
  input: Wire<PutRuleRequest>,
): Promise<Wire<PutRuleResponse>> {
  const name = checkRuleName(input.Name);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (input.EventPattern !== undefined) checkPattern(input.EventPattern);
  if (input.ScheduleExpression !== undefined) {
    if (input.ScheduleExpression.length > 256)
      throw constraintFailed(
        'scheduleExpression',
        input.ScheduleExpression,
        'Member must have length less than or equal to 256',
      );
    try {
      parseRuleScheduleExpression(input.ScheduleExpression);
    } catch {
      throw validation(RULE_EXPRESSION_MESSAGE);
    }
  }
  const state = input.State ?? RuleState.Enabled;
  if (!STATES.includes(state)) {
    throw constraintFailed('state', state, `Member must satisfy enum value set: [${STATES.join(', ')}]`);
  }
  if (input.Description !== undefined && input.Description.length > 512)
    throw constraintFailed('description', '...', 'Member must have length less than or equal to 512');
  const tags = tagMap(input.Tags);
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    if (input.ScheduleExpression !== undefined && bus.name !== DEFAULT_BUS) {
      throw validation('ScheduleExpression is supported only on the default event bus.');
    }
    const key = eventsKeys.rule(bus.name, name);
    const stored = await tx.get<RuleRecord>(Kind.EventRule, key);
    if (stored?.value.managedBy) {
      throw new ServiceError(
        EventsErrorCode.ManagedRule,
        `Rule ${name} is managed by ${stored.value.managedBy} and cannot be changed.`,
      );
    }
    if (!stored) {
      const count = (await tx.list(Kind.EventRule, { prefix: eventsKeys.rulesOf(bus.name) })).length;
      if (count >= MAX_RULES_PER_BUS) throw limitExceeded();
    }
    const record: RuleRecord = {
      name,
      bus: bus.name,
      arn: ruleArn(ctx.partition, bus.name, name),
      ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
      ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
      state: state as RuleState,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
      createdBy: ctx.partition.accountId,
      targets: stored?.value.targets ?? [],
      tags: stored ? { ...stored.value.tags, ...tags } : tags,
      createdAt: stored?.value.createdAt ?? ctx.clock.now(),
    };
    await tx.put(Kind.EventRule, key, record, stored ? stored.version : 'absent');
    return { RuleArn: record.arn };
  });
}

/** Throws InvalidEventPatternException with the compiler's reason. */
export function checkPattern(pattern: string): void {
  if (pattern.length > 4096) {
    throw new ServiceError(
      EventsErrorCode.InvalidEventPattern,
      'Event pattern is not valid. Reason: Pattern is too long',
    );
  }
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof PatternError)
      throw new ServiceError(EventsErrorCode.InvalidEventPattern, error.message);
    throw error;
  }
}
