/** A listener's rules compiled once per config: ascending priority, first match wins, else the default actions. */
import { type CompiledCondition, compileCondition, type RequestFacts } from './conditions.ts';
import type { ActionConfig, ListenerConfig } from './config.ts';

export interface CompiledRule {
  arn: string;
  priority: number;
  conditions: CompiledCondition[];
  actions: ActionConfig[];
}

export interface CompiledRules {
  rules: CompiledRule[];
  defaultActions: ActionConfig[];
  /** Some condition reads request headers (http-header): the raw path builds the header map only then. */
  needsHeaders: boolean;
}

export function compileRules(listener: ListenerConfig): CompiledRules {
  const rules = [...listener.rules]
    .sort((a, b) => a.priority - b.priority)
    .map((r) => ({
      arn: r.arn,
      priority: r.priority,
      conditions: r.conditions.map(compileCondition),
      actions: r.actions,
    }));
  const needsHeaders = listener.rules.some((r) => r.conditions.some((c) => c.field === 'http-header'));
  return { rules, defaultActions: listener.defaultActions, needsHeaders };
}

/** The actions of the first rule whose every condition matches, or the listener's default actions. */
export function selectActions(compiled: CompiledRules, facts: RequestFacts): ActionConfig[] {
  for (const rule of compiled.rules) {
    if (rule.conditions.every((c) => c(facts))) return rule.actions;
  }
  return compiled.defaultActions;
}

/** Every target group a listener can forward to (rules and default actions): the others are `unused`. */
export function forwardedTargetGroups(listener: ListenerConfig): string[] {
  const out: string[] = [];
  for (const actions of [listener.defaultActions, ...listener.rules.map((r) => r.actions)]) {
    for (const a of actions)
      if (a.type === 'forward') for (const tg of a.targetGroups) out.push(tg.targetGroupArn);
  }
  return out;
}
