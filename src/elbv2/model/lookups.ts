/** Reading ELBv2 records: by ARN, by name, a load balancer's listeners and a listener's rules. */
import { Kind, type Reader } from '../../store/store.ts';
import { listenerPrefix, rulePrefix } from './arns.ts';
import type { ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from './records.ts';

export async function getLoadBalancer(reader: Reader, arn: string): Promise<LoadBalancerRecord | undefined> {
  return (await reader.get<LoadBalancerRecord>(Kind.Elbv2LoadBalancer, arn))?.value;
}

export async function listLoadBalancers(reader: Reader): Promise<LoadBalancerRecord[]> {
  return (await reader.list<LoadBalancerRecord>(Kind.Elbv2LoadBalancer)).map((r) => r.value);
}

export async function getTargetGroup(reader: Reader, arn: string): Promise<TargetGroupRecord | undefined> {
  return (await reader.get<TargetGroupRecord>(Kind.Elbv2TargetGroup, arn))?.value;
}

export async function listTargetGroups(reader: Reader): Promise<TargetGroupRecord[]> {
  return (await reader.list<TargetGroupRecord>(Kind.Elbv2TargetGroup)).map((r) => r.value);
}

export async function getListener(reader: Reader, arn: string): Promise<ListenerRecord | undefined> {
  return (await reader.get<ListenerRecord>(Kind.Elbv2Listener, arn))?.value;
}

/** Every listener of the region, or of one load balancer (by key prefix). */
export async function listListeners(reader: Reader, loadBalancerArn?: string): Promise<ListenerRecord[]> {
  const query = loadBalancerArn ? { prefix: listenerPrefix(loadBalancerArn) } : undefined;
  return (await reader.list<ListenerRecord>(Kind.Elbv2Listener, query)).map((r) => r.value);
}

export async function getRule(reader: Reader, arn: string): Promise<RuleRecord | undefined> {
  return (await reader.get<RuleRecord>(Kind.Elbv2Rule, arn))?.value;
}

/** Every (non-default) rule of the region, or of one listener. */
export async function listRules(reader: Reader, listenerArn?: string): Promise<RuleRecord[]> {
  const query = listenerArn ? { prefix: rulePrefix(listenerArn) } : undefined;
  return (await reader.list<RuleRecord>(Kind.Elbv2Rule, query)).map((r) => r.value);
}
