/**
 * PutTargets: adds or replaces (by Id) up to 5 targets of a rule. A target that fails its checks
 * is reported in FailedEntries and the others are stored; more than 5 targets on the rule is
 * LimitExceededException for the whole call.
 */
import type {
  PutTargetsRequest,
  PutTargetsResponse,
  PutTargetsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import { EventsErrorCode, limitExceeded, constraintFailed } from '../model/errors.ts';
import { checkRuleName } from '../model/names.ts';
import type { EventsContext, RuleRecord, TargetRecord } from '../model/records.ts';
import { requireRule } from '../model/rules.ts';
import { targetProblem } from './target-checks.ts';

/** EventBridge's quota of targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;

export async function putTargets(
  ctx: EventsContext,
  input: Wire<PutTargetsRequest>,
): Promise<Wire<PutTargetsResponse>> {
  const name = checkRuleName(input.Rule, 'rule');
  const targets = input.Targets ?? [];
  if (targets.length < 1)
    throw constraintFailed('targets', '[]', 'Member must have length greater than or equal to 1');
  if (targets.length > 100)
    throw constraintFailed('targets', '[...]', 'Member must have length less than or equal to 100');
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    const stored = await requireRule(tx, bus.name, name);
    if (stored.value.managedBy) {
      throw new ServiceError(
        EventsErrorCode.ManagedRule,
        `Rule ${name} is managed by ${stored.value.managedBy} and cannot be changed.`,
      );
    }
    const failed: Wire<PutTargetsResultEntry>[] = [];
    const next = new Map<string, TargetRecord>(stored.value.targets.map((t) => [t.Id!, t]));
    for (const target of targets) {
      const problem = targetProblem(target);
      if (problem) {
        failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: problem });
        continue;
      }
      next.set(target.Id!, target);
    }
    if (next.size > MAX_TARGETS_PER_RULE) throw limitExceeded();
    const record: RuleRecord = { ...stored.value, targets: [...next.values()] };
    if (failed.length < targets.length) await tx.put(Kind.EventRule, stored.key, record, stored.version);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  });
}
