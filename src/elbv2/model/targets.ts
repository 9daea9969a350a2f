/**
 * RegisterTargets and DeregisterTargets as model functions: the API handlers and ECS (services
 * registering their tasks) call the same ones, inside their own transaction.
 */
import { ServiceError } from '../../core/errors.ts';
import { contains, parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import { getVpc, listSubnets } from '../../ec2/model/index.ts';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { targetGroupAttribute } from './attributes.ts';
import { Elbv2ErrorCode, validation } from './errors.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import type { Elbv2Scope, TargetGroupRecord, TargetRecord } from './records.ts';
import {
  knownInstances,
  listTargets,
  requireGroup,
  sweepDrained,
  type TargetInput,
  targetKey,
} from './target-records.ts';
import { targetGroupUsage } from './usage.ts';

const invalidTarget = (message: string) => new ServiceError(Elbv2ErrorCode.InvalidTarget, message);

function checkedPort(port: number | undefined, tg: TargetGroupRecord): number {
  const p = port ?? tg.port;
  if (!Number.isInteger(p) || p < 1 || p > 65535) {
    throw validation(`Port '${p}' is not valid. It must be between 1 and 65535`);
  }
  return p;
}

/** The zone of an ip target, checked against the group's VPC as ELBv2 checks it. */
async function ipTargetZone(
  reader: Reader,
  tg: TargetGroupRecord,
  t: TargetInput,
): Promise<string | undefined> {
  const address = parseIpv4(t.id);
  if (address === undefined) throw validation(`The IP address '${t.id}' is not a valid IPv4 address`);
  const vpc = await getVpc(reader, tg.vpcId);
  const range = vpc && parseCidr(vpc.cidrBlock);
  const inVpc = range ? contains(range, { base: address, prefix: 32 }) : false;
  if (!inVpc) {
    if (t.availabilityZone === undefined) {
      throw validation(
        `The Availability Zone is required for IP address '${t.id}' because it is not in the VPC`,
      );
    }
    if (t.availabilityZone !== 'all') {
      throw validation(
        `You must specify a valid Availability Zone or select 'all' for all enabled Availability zones, since the IP address '${t.id}' is outside the VPC`,
      );
    }
    return 'all';
  }
  const subnets = (await listSubnets(reader)).filter((s) => s.vpcId === tg.vpcId);
  const subnet = subnets.find((s) => {
    const c = parseCidr(s.cidrBlock);
    return c ? contains(c, { base: address, prefix: 32 }) : false;
  });
  const zone = subnet?.availabilityZone;
  if (t.availabilityZone === 'all') {
    throw validation(
      `The IP address '${t.id}' is within the VPC, and cannot have its Availability Zone overridden to 'all' from '${zone ?? 'none'}'`,
    );
  }
  return zone ?? t.availabilityZone;
}

/**
 * Registers `targets` with the group, all or none: instance ids must name an active ECS container
 * instance's EC2 instance (InvalidTarget otherwise), ip targets an IPv4 address in the group's
 * VPC (or outside it with AvailabilityZone `all`); the port defaults to the group's. A target
 * already registered stays as it was; a draining one is registered again.
 */
export async function registerTargets(
  tx: Tx,
  scope: Elbv2Scope,
  tgArn: string,
  targets: readonly TargetInput[],
): Promise<void> {
  const tg = await requireGroup(tx, tgArn);
  const now = scope.clock.now();
  const checked: TargetRecord[] = [];
  const instances =
    tg.targetType === 'instance' ? await knownInstances(tx) : new Map<string, string | undefined>();
  const notRunning: string[] = [];
  for (const t of targets) {
    const port = checkedPort(t.port, tg);
    let availabilityZone: string | undefined;
    if (tg.targetType === 'instance') {
      if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(t.id))
        throw validation(`Instance ID '${t.id}' is not valid`);
      if (!instances.has(t.id)) {
        notRunning.push(t.id);
        continue;
      }
      availabilityZone = instances.get(t.id);
    } else {
      availabilityZone = await ipTargetZone(tx, tg, t);
    }
    checked.push({
      targetGroupArn: tg.arn,
      id: t.id,
      port,
      ...(availabilityZone ? { availabilityZone } : {}),
      registeredAt: now,
    });
  }
  if (notRunning.length > 0) {
    throw invalidTarget(
      `The following targets are not in a running state and cannot be registered: '${notRunning.join(', ')}'`,
    );
  }
  await sweepDrained(tx, tg, now);
  const live = await listTargets(tx, tg, now);
  const keys = new Set(live.map((t) => targetKey(tg.arn, t.id, t.port)));
  for (const t of checked) keys.add(targetKey(tg.arn, t.id, t.port));
  const max = DEFAULT_LIMITS['targets-per-target-group'];
  if (keys.size > max) {
    throw new ServiceError(
      Elbv2ErrorCode.TooManyTargets,
      `You have reached the maximum number of targets per target group, which is '${max}'`,
    );
  }
  for (const t of checked) {
    const key = targetKey(tg.arn, t.id, t.port);
    const existing = await tx.get<TargetRecord>(Kind.Elbv2Target, key);
    if (existing && existing.value.drainingSince === undefined) continue;
    await tx.put(Kind.Elbv2Target, key, t, existing?.version ?? 'absent');
  }
}

/**
 * Deregisters `targets` (the port defaults to the group's, so a target registered on another port
 * is not touched, as in ELBv2). A target that is not registered is no error: ELBv2 answers success
 * and does nothing, which also makes repeating a deregistration harmless. Targets of a group a
 * load balancer uses drain for the group's deregistration delay; others (or with a delay of 0) go
 * at once.
 */
export async function deregisterTargets(
  tx: Tx,
  scope: Elbv2Scope,
  tgArn: string,
  targets: readonly TargetInput[],
): Promise<void> {
  const tg = await requireGroup(tx, tgArn);
  const now = scope.clock.now();
  for (const t of targets) checkedPort(t.port, tg);
  await sweepDrained(tx, tg, now);
  const inUse = ((await targetGroupUsage(tx)).get(tg.arn) ?? []).length > 0;
  const delay = Number(targetGroupAttribute(tg, 'deregistration_delay.timeout_seconds'));
  for (const t of targets) {
    const stored = await tx.get<TargetRecord>(
      Kind.Elbv2Target,
      targetKey(tg.arn, t.id, checkedPort(t.port, tg)),
    );
    if (!stored) continue;
    if (!inUse || delay === 0) {
      await tx.remove(Kind.Elbv2Target, stored.key, stored.version);
    } else if (stored.value.drainingSince === undefined) {
      await tx.put(Kind.Elbv2Target, stored.key, { ...stored.value, drainingSince: now }, stored.version);
    }
  }
}
