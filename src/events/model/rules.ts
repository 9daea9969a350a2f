/** Rules: lookups with EventBridge's not-found wording, and the compiled pattern of a rule. */
import { compilePattern, type EventPattern } from '../pattern/compile-pattern.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import { notFound } from './errors.ts';
import { eventsKeys, type RuleRecord, RuleState } from './records.ts';

export async function requireRule(reader: Reader, bus: string, name: string): Promise<Stored<RuleRecord>> {
  const stored = await reader.get<RuleRecord>(Kind.EventRule, eventsKeys.rule(bus, name));
  if (!stored) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  return stored;
}

export async function rulesOfBus(reader: Reader, bus: string): Promise<RuleRecord[]> {
  const stored = await reader.list<RuleRecord>(Kind.EventRule, { prefix: eventsKeys.rulesOf(bus) });
  return stored.map((s) => s.value).filter((r) => r.bus === bus);
}

/** ENABLED and ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules match and fire; DISABLED ones do not. */
export function isEnabled(rule: RuleRecord): boolean {
  return rule.state !== RuleState.Disabled;
}

/** The compiled pattern of an event-pattern rule (a stored pattern was validated by PutRule). */
export function rulePattern(rule: RuleRecord): EventPattern | undefined {
  return rule.eventPattern === undefined ? undefined : compilePattern(rule.eventPattern);
}
