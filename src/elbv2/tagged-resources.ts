/** The resources AddTags, RemoveTags and DescribeTags reach, found by their ARN: load balancers, target groups, listeners, rules. */
import { Kind, type Reader, type Tx } from '../store/store.ts';
import {
  checkArn,
  requireListener,
  requireLoadBalancer,
  requireRule,
  requireTargetGroup,
} from './lookups.ts';
import { arnKind } from './model/arns.ts';
import { validation } from './model/errors.ts';
import type { Elbv2Tag, ListenerRecord } from './model/records.ts';

/** ELBv2 takes at most 20 resource ARNs per tag call. */
export const MAX_RESOURCES = 20;

export function checkResourceArns(arns: readonly string[] | undefined): string[] {
  const list = arns ?? [];
  if (list.length === 0) throw validation('At least one resource ARN must be specified');
  if (list.length > MAX_RESOURCES)
    throw validation(`At most ${MAX_RESOURCES} resource ARNs can be specified`);
  for (const arn of list) {
    const kind = arnKind(arn);
    if (!kind) throw validation(`'${arn}' is not a valid resource ARN`);
    checkArn(arn, kind);
  }
  return [...list];
}

/** The tags of the resource `arn` names (its NotFound error when absent). */
export async function tagsOf(reader: Reader, arn: string): Promise<Elbv2Tag[]> {
  switch (arnKind(arn)) {
    case 'loadbalancer':
      return (await requireLoadBalancer(reader, arn)).tags;
    case 'targetgroup':
      return (await requireTargetGroup(reader, arn)).tags;
    case 'listener':
      return (await requireListener(reader, arn)).tags;
    default: {
      const found = await requireRule(reader, arn);
      return found.type === 'rule' ? found.rule.tags : found.listener.defaultRuleTags;
    }
  }
}

/** Rewrites the tags of the resource `arn` names. */
export async function updateTags(
  tx: Tx,
  arn: string,
  change: (tags: Elbv2Tag[]) => Elbv2Tag[],
): Promise<void> {
  switch (arnKind(arn)) {
    case 'loadbalancer': {
      const lb = await requireLoadBalancer(tx, arn);
      await tx.put(Kind.Elbv2LoadBalancer, arn, { ...lb, tags: change(lb.tags) });
      return;
    }
    case 'targetgroup': {
      const tg = await requireTargetGroup(tx, arn);
      await tx.put(Kind.Elbv2TargetGroup, arn, { ...tg, tags: change(tg.tags) });
      return;
    }
    case 'listener': {
      const l = await requireListener(tx, arn);
      await tx.put(Kind.Elbv2Listener, arn, { ...l, tags: change(l.tags) });
      return;
    }
    default: {
      const found = await requireRule(tx, arn);
      if (found.type === 'rule') {
        await tx.put(Kind.Elbv2Rule, arn, { ...found.rule, tags: change(found.rule.tags) });
      } else {
        const l: ListenerRecord = found.listener;
        await tx.put(Kind.Elbv2Listener, l.arn, { ...l, defaultRuleTags: change(l.defaultRuleTags) });
      }
    }
  }
}
