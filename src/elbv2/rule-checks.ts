/** What CreateRule, ModifyRule and SetRulePriorities share: priorities, the rule quota, and where a rule's actions go. */
import { ServiceError } from '../core/errors.ts';
import type { Reader } from '../store/store.ts';
import type { ActionSite } from './actions.ts';
import { requireLoadBalancer } from './lookups.ts';
import { Elbv2ErrorCode, invalidConfiguration, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import { listListeners, listRules } from './model/lookups.ts';
import type { ListenerRecord } from './model/records.ts';
import { targetGroupUsage } from './model/usage.ts';

export const PRIORITY = { min: 1, max: 50_000 } as const;

export function checkedPriority(priority: number | undefined): number {
  if (priority === undefined) throw validation('A rule priority must be specified');
  if (!Number.isInteger(priority) || priority < PRIORITY.min || priority > PRIORITY.max) {
    throw validation(`Priority '${priority}' must be between ${PRIORITY.min} and ${PRIORITY.max}`);
  }
  return priority;
}

export const priorityInUse = (priority: number) =>
  new ServiceError(Elbv2ErrorCode.PriorityInUse, `Priority '${priority}' is currently in use`);

/** Where a listener's actions go: its load balancer, its protocol, and the groups in use. */
export async function actionSite(reader: Reader, listener: ListenerRecord): Promise<ActionSite> {
  const lb = await requireLoadBalancer(reader, listener.loadBalancerArn);
  return { lb, listenerProtocol: listener.protocol, usage: await targetGroupUsage(reader) };
}

/** The site of a listener's (non-default) rules, which exist only on ALB listeners. */
export async function ruleSite(reader: Reader, listener: ListenerRecord): Promise<ActionSite> {
  const site = await actionSite(reader, listener);
  if (site.lb.type !== 'application') {
    throw invalidConfiguration('Rules can only be added to listeners of application load balancers');
  }
  return site;
}

/** rules-per-application-load-balancer: the non-default rules of all its listeners. */
export async function checkRuleQuota(reader: Reader, lbArn: string): Promise<void> {
  let count = 0;
  for (const l of await listListeners(reader, lbArn)) count += (await listRules(reader, l.arn)).length;
  const max = ACCOUNT_LIMITS['rules-per-application-load-balancer'];
  if (count >= max) {
    throw new ServiceError(
      Elbv2ErrorCode.TooManyRules,
      `You've reached the limit on the number of rules per load balancer (${max})`,
    );
  }
}
