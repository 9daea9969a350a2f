/**
 * Which load balancers use which target groups: a group is associated with a load balancer when a
 * listener's default actions or one of its rules forward to it. Derived from the listeners and
 * rules each time (nothing to keep in step), which is what ELBv2 shows as a group's
 * LoadBalancerArns and what makes a registered target `unused` or in use.
 */
import type { Reader } from '../../store/store.ts';
import { loadBalancerArnOf } from './arns.ts';
import { listListeners, listRules } from './lookups.ts';
import type { ActionRecord } from './records.ts';

/** The target groups a list of actions forwards to. */
export function forwardedGroups(actions: readonly ActionRecord[]): string[] {
  return actions.flatMap((a) => (a.type === 'forward' ? a.targetGroups.map((g) => g.targetGroupArn) : []));
}

/** Target group ARN -> the ARNs of the load balancers using it, sorted. */
export async function targetGroupUsage(reader: Reader): Promise<Map<string, string[]>> {
  const usage = new Map<string, Set<string>>();
  const add = (tg: string, lb: string) => {
    const set = usage.get(tg) ?? new Set<string>();
    set.add(lb);
    usage.set(tg, set);
  };
  for (const listener of await listListeners(reader)) {
    for (const tg of forwardedGroups(listener.defaultActions)) add(tg, listener.loadBalancerArn);
  }
  for (const rule of await listRules(reader)) {
    for (const tg of forwardedGroups(rule.actions)) add(tg, loadBalancerArnOf(rule.arn));
  }
  return new Map([...usage].map(([tg, lbs]) => [tg, [...lbs].sort()]));
}

/** The load balancers that forward to `targetGroupArn` (ELBv2's TargetGroup.LoadBalancerArns). */
export async function targetGroupLoadBalancers(reader: Reader, targetGroupArn: string): Promise<string[]> {
  return (await targetGroupUsage(reader)).get(targetGroupArn) ?? [];
}
