/**
 * Target records: one per (group, id, port), keyed `<group ARN>|<id>:<port>`, and the reads every
 * target operation shares (a group's live targets, the container instances instance targets name).
 *
 * A draining target goes when the data plane reports it drained (`forgetDrainedTarget`) or, without
 * a data plane, once the group's deregistration delay has passed: reads leave such targets out and
 * the next write to the group removes them.
 */
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { targetGroupAttribute } from './attributes.ts';
import { targetGroupNotFound } from './errors.ts';
import { getTargetGroup } from './lookups.ts';
import type { TargetGroupRecord, TargetRecord } from './records.ts';

/** A target as RegisterTargets and DeregisterTargets name it. */
export interface TargetInput {
  id: string;
  port?: number;
  availabilityZone?: string;
}

import { groupPrefix, targetKey } from './arns.ts';

export { groupPrefix, targetKey };

/** When a draining target's deregistration delay runs out (epoch ms). */
export function drainEndsAt(tg: TargetGroupRecord, target: TargetRecord): number | undefined {
  if (target.drainingSince === undefined) return undefined;
  const delay = Number(targetGroupAttribute(tg, 'deregistration_delay.timeout_seconds'));
  return target.drainingSince + delay * 1000;
}

/** The group's targets, draining ones included, without those whose delay ran out before `now`. */
export async function listTargets(
  reader: Reader,
  tg: TargetGroupRecord,
  now: number,
): Promise<TargetRecord[]> {
  const stored = await reader.list<TargetRecord>(Kind.Elbv2Target, { prefix: groupPrefix(tg.arn) });
  return stored.map((r) => r.value).filter((t) => (drainEndsAt(tg, t) ?? Number.POSITIVE_INFINITY) > now);
}

/** Removes the group's targets whose drain is over (a write's housekeeping). */
export async function sweepDrained(tx: Tx, tg: TargetGroupRecord, now: number): Promise<void> {
  for (const r of await tx.list<TargetRecord>(Kind.Elbv2Target, { prefix: groupPrefix(tg.arn) })) {
    const ends = drainEndsAt(tg, r.value);
    if (ends !== undefined && ends <= now) await tx.remove(Kind.Elbv2Target, r.key);
  }
}

/** Every target of every group of the region (for the data plane), drains over left out. */
export async function targetsByGroup(
  reader: Reader,
  groups: readonly TargetGroupRecord[],
  now: number,
): Promise<Map<string, TargetRecord[]>> {
  const out = new Map<string, TargetRecord[]>();
  for (const tg of groups) out.set(tg.arn, await listTargets(reader, tg, now));
  return out;
}

export async function requireGroup(reader: Reader, tgArn: string): Promise<TargetGroupRecord> {
  const tg = await getTargetGroup(reader, tgArn);
  if (!tg) throw targetGroupNotFound(tgArn);
  return tg;
}

/** The EC2 instance ids of the region's active ECS container instances, with their zones. */
export async function knownInstances(reader: Reader): Promise<Map<string, string | undefined>> {
  interface InstanceView {
    instance: { ec2InstanceId?: string; status?: string; attributes?: { name?: string; value?: string }[] };
  }
  const out = new Map<string, string | undefined>();
  for (const r of await reader.list<InstanceView>(Kind.ContainerInstance)) {
    const i = r.value.instance;
    if (!i.ec2InstanceId || i.status === 'INACTIVE') continue;
    out.set(i.ec2InstanceId, i.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value);
  }
  return out;
}

/** Removes every target of a group (DeleteTargetGroup). */
export async function removeAllTargets(tx: Tx, tgArn: string): Promise<void> {
  for (const r of await tx.list(Kind.Elbv2Target, { prefix: groupPrefix(tgArn) })) {
    await tx.remove(Kind.Elbv2Target, r.key);
  }
}
