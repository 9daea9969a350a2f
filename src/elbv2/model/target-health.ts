/**
 * Target health: what DescribeTargetHealth answers (ECS reads the same), and what the data plane
 * reports back (`recordTargetHealth`, `forgetDrainedTarget`).
 */
import { Kind, type Reader, type Store } from '../../store/store.ts';
import type { TargetHealth as ReportedTargetHealth, TargetReason } from '../dataplane/config.ts';
import type { TargetGroupRecord, TargetRecord, TargetState } from './records.ts';
import {
  groupPrefix,
  knownInstances,
  listTargets,
  requireGroup,
  type TargetInput,
} from './target-records.ts';
import { targetGroupUsage } from './usage.ts';

/** ELBv2's descriptions of its target states' reasons. */
export const REASON_DESCRIPTIONS: Readonly<Partial<Record<TargetReason, string>>> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.HealthCheckDisabled': 'Health checks are disabled',
  'Target.InvalidState': 'Target is in the stopped or terminated state',
  'Target.ResponseCodeMismatch': 'Health checks failed with these codes',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
};

export interface TargetHealthView {
  target: TargetRecord | { id: string; port: number; availabilityZone?: string };
  state: TargetState;
  reason?: TargetReason;
  description?: string;
}

const view = (
  target: TargetHealthView['target'],
  state: TargetState,
  reason?: TargetReason,
  description?: string,
): TargetHealthView => ({
  target,
  state,
  ...(reason ? { reason, description: description ?? REASON_DESCRIPTIONS[reason] } : {}),
});

/**
 * A target's health as DescribeTargetHealth shows it: draining while deregistering; `unused`
 * (Target.InvalidState) for an instance whose container instance is gone or deregistered, as
 * ELBv2 shows a stopped or terminated instance; `unused` (Target.NotInUse) when no load balancer
 * uses the group; `unavailable` when health checks are
 * off; what the data plane last reported; else `initial` (Elb.RegistrationInProgress).
 */
export function targetHealth(
  tg: TargetGroupRecord,
  target: TargetRecord,
  inUse: boolean,
  instanceGone = false,
): TargetHealthView {
  if (target.drainingSince !== undefined) return view(target, 'draining', 'Target.DeregistrationInProgress');
  if (instanceGone) return view(target, 'unused', 'Target.InvalidState');
  if (!inUse) return view(target, 'unused', 'Target.NotInUse');
  if (!tg.healthCheck.enabled) return view(target, 'unavailable', 'Target.HealthCheckDisabled');
  const h = target.health;
  if (h) return view(target, h.state, h.reason, h.description);
  return view(target, 'initial', 'Elb.RegistrationInProgress');
}

/** What DescribeTargetHealth says of a target that is not registered. */
export function notRegistered(id: string, port: number): TargetHealthView {
  return view({ id, port }, 'unused', 'Target.NotRegistered');
}

/** The health of every target of a group (or of the ones asked about), as ECS and the API read it. */
export async function describeTargetHealth(
  reader: Reader,
  tgArn: string,
  now: number,
  asked?: readonly TargetInput[],
): Promise<TargetHealthView[]> {
  const tg = await requireGroup(reader, tgArn);
  const targets = await listTargets(reader, tg, now);
  const inUse = ((await targetGroupUsage(reader)).get(tg.arn) ?? []).length > 0;
  const instances =
    tg.targetType === 'instance' && targets.length > 0 ? await knownInstances(reader) : undefined;
  const gone = (t: TargetRecord) => instances !== undefined && !instances.has(t.id);
  if (!asked || asked.length === 0) return targets.map((t) => targetHealth(tg, t, inUse, gone(t)));
  return asked.map((a) => {
    const port = a.port ?? tg.port;
    const found =
      a.port === undefined
        ? targets.find((t) => t.id === a.id)
        : targets.find((t) => t.id === a.id && t.port === port);
    return found ? targetHealth(tg, found, inUse, gone(found)) : notRegistered(a.id, port);
  });
}

/**
 * Writes the health the data plane reported for a group's targets (its `health` report), one
 * transaction, only the records whose health changed. Unknown and draining targets are left as
 * they are (draining is the control plane's state).
 */
export async function recordTargetHealth(
  store: Store,
  tgArn: string,
  healths: readonly ReportedTargetHealth[],
  now: number,
): Promise<void> {
  await store.transact(async (tx) => {
    for (const h of healths) {
      if (h.targetGroupArn !== tgArn) continue;
      const key = `${groupPrefix(tgArn)}${h.key}`;
      const stored = await tx.get<TargetRecord>(Kind.Elbv2Target, key);
      if (!stored || stored.value.drainingSince !== undefined) continue;
      const old = stored.value.health;
      if (old && old.state === h.state && old.reason === h.reason && old.description === h.description)
        continue;
      const health = {
        state: h.state,
        ...(h.reason ? { reason: h.reason } : {}),
        ...(h.description ? { description: h.description } : {}),
        at: now,
      };
      await tx.put(Kind.Elbv2Target, key, { ...stored.value, health }, stored.version);
    }
  });
}

/** The data plane's `drained` report: forgets the target if it is still draining. */
export async function forgetDrainedTarget(store: Store, tgArn: string, key: string): Promise<boolean> {
  return store.transact(async (tx) => {
    const stored = await tx.get<TargetRecord>(Kind.Elbv2Target, `${groupPrefix(tgArn)}${key}`);
    if (!stored || stored.value.drainingSince === undefined) return false;
    return tx.remove(Kind.Elbv2Target, stored.key, stored.version);
  });
}
