/** Finding the resource a request names by ARN, with ELBv2's invalid-ARN (ValidationError) and not-found errors. */
import type { Reader } from '../store/store.ts';
import { type ArnKind, arnKind, listenerArnOf } from './model/arns.ts';
import {
  invalidArn,
  listenersNotFound,
  loadBalancersNotFound,
  rulesNotFound,
  targetGroupNotFound,
} from './model/errors.ts';
import { getListener, getLoadBalancer, getRule, getTargetGroup } from './model/lookups.ts';
import type { ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from './model/records.ts';

const WHAT: Readonly<Record<ArnKind, string>> = {
  loadbalancer: 'load balancer',
  targetgroup: 'target group',
  listener: 'listener',
  'listener-rule': 'listener rule',
};

/** Refuses an ARN that is not of `kind`'s shape (ELBv2 answers ValidationError before looking). */
export function checkArn(arn: string, kind: ArnKind): void {
  if (arnKind(arn) !== kind) throw invalidArn(arn, WHAT[kind]);
}

export async function requireLoadBalancer(reader: Reader, arn: string): Promise<LoadBalancerRecord> {
  checkArn(arn, 'loadbalancer');
  const lb = await getLoadBalancer(reader, arn);
  if (!lb) throw loadBalancersNotFound([arn]);
  return lb;
}

export async function requireTargetGroup(reader: Reader, arn: string): Promise<TargetGroupRecord> {
  checkArn(arn, 'targetgroup');
  const tg = await getTargetGroup(reader, arn);
  if (!tg) throw targetGroupNotFound(arn);
  return tg;
}

export async function requireListener(reader: Reader, arn: string): Promise<ListenerRecord> {
  checkArn(arn, 'listener');
  const listener = await getListener(reader, arn);
  if (!listener) throw listenersNotFound();
  return listener;
}

/** A rule ARN names a stored rule or a listener's default rule. */
export type FoundRule = { type: 'rule'; rule: RuleRecord } | { type: 'default'; listener: ListenerRecord };

export async function requireRule(reader: Reader, arn: string): Promise<FoundRule> {
  checkArn(arn, 'listener-rule');
  const rule = await getRule(reader, arn);
  if (rule) return { type: 'rule', rule };
  const listener = await getListener(reader, listenerArnOf(arn));
  if (listener && listener.defaultRuleArn === arn) return { type: 'default', listener };
  throw rulesNotFound();
}
