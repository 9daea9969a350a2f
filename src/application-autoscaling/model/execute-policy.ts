/**
 * What happens when an alarm in ALARM invokes a scaling policy (its action names the policy's
 * ARN). One transaction: decide the new capacity, check it against suspension, cooldowns, the
 * other target tracking policies, deployments in progress and min/max, then write the desired
 * count and the activity; a refusal is recorded as a not scaled activity saying why.
 *
 * Order of the checks (the first that refuses names the reason):
 * 1. the proposal: step scaling's step for the breach, or target tracking's proportional capacity;
 * 2. suspension (DynamicScalingOutSuspended / DynamicScalingInSuspended);
 * 3. cooldown: inside a scale-out's cooldown the capacity it added counts as part of the next
 *    scale-out: the proposal is computed again from the capacity the first one started from, and
 *    only a larger one goes ahead (2 tasks, +1 then +3 within the cooldown: 3, then 5, not 6); a
 *    scale-in waits for its cooldown after any scaling of the target;
 * 4. scale-in only: every other target tracking policy with scale-in enabled must be in ALARM on
 *    its low alarm too (out if any says so, in only if all do; the largest capacity wins), and no
 *    ECS deployment may be in progress (ECS turns scale-in off during deployments);
 * 5. min/max: the proposal is clamped; a clamp back to the current capacity is AlreadyAtMax/Min.
 */
import type { Stored, Tx } from '../../store/store.ts';
import { Kind } from '../../store/store.ts';
import { NotScaledCode, recordActivity, Wording } from './activities.ts';
import { applyDesiredCount, clamp } from './apply-capacity.ts';
import { activeEcsService, deploymentInProgress } from './ecs-service.ts';
import {
  type AutoScalingContext,
  keys,
  PolicyType,
  type ScalableTargetRecord,
  type ScalingActivityRecord,
  type ScalingPolicyRecord,
} from './records.ts';
import { aggregate, selectStep, stepCapacity } from './step-scaling.ts';
import { policyByArn } from './targets.ts';
import { scaleInCapacity, scaleOutCapacity } from './target-tracking.ts';
import { cooldownMs } from './timing.ts';

/** The alarm that invoked the policy, as its state reason data tells it. */
export interface AlarmTrigger {
  alarmName: string;
  threshold: number;
  /** The datapoints that breached, oldest first (StateReasonData's recentDatapoints). */
  datapoints: readonly number[];
}

/**
 * The state of another alarm: its trigger when it is in ALARM, undefined otherwise (used for the
 * "in only if all do" rule). Wired to CloudWatch's alarm records by the caller.
 */
export type PeerAlarms = (tx: Tx, alarmName: string) => Promise<AlarmTrigger | undefined>;

interface Proposal {
  desired: number;
  /** For a scale-out in cooldown: what the same rule asks from the capacity the last one started at. */
  fromBase?: (base: number) => number;
}

/** Runs the policy for the alarm; undefined when the policy or its target is gone. */
export async function executeScalingPolicy(
  ctx: AutoScalingContext,
  policyArn: string,
  trigger: AlarmTrigger,
  peers?: PeerAlarms,
): Promise<ScalingActivityRecord | undefined> {
  return ctx.store.transact(async (tx) => {
    const policy = await policyByArn(tx, policyArn);
    if (!policy) return undefined;
    const target = await tx.get<ScalableTargetRecord>(Kind.ScalableTarget, policy.value.targetKey);
    if (!target) return undefined;
    const t = target.value;
    const now = ctx.clock.now();
    const service = await activeEcsService(tx, t.cluster, t.service, now);
    const current = service?.value.service.desiredCount ?? 0;
    const cause = Wording.alarmCause(trigger.alarmName, policy.value.policyName);
    const refuse = (statusMessage: string, reasons?: ScalingActivityRecord['notScaledReasons']) =>
      recordActivity(tx, ctx, target.key, t.resourceId, {
        description: Wording.attempting,
        cause,
        statusCode: 'Failed',
        statusMessage,
        notScaled: true,
        ...(reasons ? { notScaledReasons: reasons } : {}),
      });

    const proposal = propose(policy.value, trigger, current);
    if (!proposal) return undefined;
    let desired = proposal.desired;
    const out = desired > current;
    if (desired === current) {
      return refuse(`The policy asks for the current capacity ${current}.`, [
        { Code: NotScaledCode.AlreadyAtDesired, CurrentCapacity: current },
      ]);
    }
    if (out && t.suspended.dynamicScalingOutSuspended) return refuse('Dynamic scaling out is suspended.');
    if (!out && t.suspended.dynamicScalingInSuspended) return refuse('Dynamic scaling in is suspended.');

    const cooldowns = cooldownsOf(policy.value);
    const outCooldown = cooldownMs(ctx.timing, cooldowns.out);
    const inCooldown = cooldownMs(ctx.timing, cooldowns.in);
    const isStep = policy.value.policyType === PolicyType.Step;
    const lastOutAt = isStep ? policy.value.lastScaleOutAt : t.lastScaleOutAt;
    const lastOutFrom = isStep ? policy.value.lastScaleOutFrom : t.lastScaleOutFrom;
    if (out && lastOutAt !== undefined && now < lastOutAt + outCooldown && lastOutFrom !== undefined) {
      // In cooldown the capacity the last scale-out added counts: only a larger scale-out goes on.
      const fromBase = proposal.fromBase?.(lastOutFrom) ?? desired;
      if (fromBase <= current) {
        return refuse(`The scale-out cooldown of ${cooldowns.out ?? 300} seconds is in effect.`);
      }
      desired = fromBase;
    }
    if (!out) {
      const last = Math.max(
        t.lastScaleInAt ?? Number.NEGATIVE_INFINITY,
        t.lastScaleOutAt ?? Number.NEGATIVE_INFINITY,
        policy.value.lastScaledAt ?? Number.NEGATIVE_INFINITY,
      );
      if (now < last + inCooldown) {
        return refuse(`The scale-in cooldown of ${cooldowns.in ?? 300} seconds is in effect.`);
      }
      if (policy.value.policyType === PolicyType.TargetTracking) {
        const agreed = await peersAgree(tx, policy, current, peers);
        if (agreed === undefined) {
          return refuse('Another target tracking policy of this target is not ready to scale in.');
        }
        desired = Math.max(desired, agreed);
        if (desired >= current) {
          return refuse(
            `The target tracking policies of this target ask for the current capacity ${current}.`,
            [{ Code: NotScaledCode.AlreadyAtDesired, CurrentCapacity: current }],
          );
        }
      }
      if (service && deploymentInProgress(service.value)) {
        return refuse('Scale-in is turned off while an ECS deployment is in progress.');
      }
    }
    const clamped = clamp(desired, t.minCapacity, t.maxCapacity);
    if (clamped === current) {
      return refuse(
        out ? `Already at max capacity ${t.maxCapacity}.` : `Already at min capacity ${t.minCapacity}.`,
        [
          out
            ? { Code: NotScaledCode.AlreadyAtMax, MaxCapacity: t.maxCapacity, CurrentCapacity: current }
            : { Code: NotScaledCode.AlreadyAtMin, MinCapacity: t.minCapacity, CurrentCapacity: current },
        ],
      );
    }
    const activity = await applyDesiredCount(tx, ctx, target, service, clamped, cause);
    if (activity.statusCode !== 'Successful') return activity;
    const scaledOut = clamped > current;
    await tx.put(
      Kind.ScalableTarget,
      target.key,
      {
        ...t,
        ...(scaledOut
          ? {
              lastScaleOutAt: now,
              lastScaleOutFrom: inCooldownBase(
                t.lastScaleOutAt,
                t.lastScaleOutFrom,
                now,
                outCooldown,
                current,
              ),
            }
          : { lastScaleInAt: now }),
      },
      target.version,
    );
    await tx.put(
      Kind.ScalingPolicy,
      policy.key,
      {
        ...policy.value,
        lastScaledAt: now,
        ...(scaledOut
          ? {
              lastScaleOutAt: now,
              lastScaleOutFrom: inCooldownBase(
                policy.value.lastScaleOutAt,
                policy.value.lastScaleOutFrom,
                now,
                outCooldown,
                current,
              ),
            }
          : {}),
      },
      policy.version,
    );
    return activity;
  });
}

/** A scale-out inside the previous one's cooldown keeps the base that one started from. */
function inCooldownBase(
  lastAt: number | undefined,
  lastFrom: number | undefined,
  now: number,
  cooldown: number,
  current: number,
): number {
  return lastAt !== undefined && lastFrom !== undefined && now < lastAt + cooldown ? lastFrom : current;
}

function cooldownsOf(policy: ScalingPolicyRecord): { out?: number; in?: number } {
  if (policy.stepScaling) return { out: policy.stepScaling.cooldown, in: policy.stepScaling.cooldown };
  const tt = policy.targetTracking ?? {};
  return {
    ...(typeof tt.ScaleOutCooldown === 'number' ? { out: tt.ScaleOutCooldown } : {}),
    ...(typeof tt.ScaleInCooldown === 'number' ? { in: tt.ScaleInCooldown } : {}),
  };
}

/** The capacity the policy asks for; undefined when it asks for nothing (no step matches). */
function propose(policy: ScalingPolicyRecord, trigger: AlarmTrigger, current: number): Proposal | undefined {
  if (policy.stepScaling) {
    const config = policy.stepScaling;
    const metric = aggregate(trigger.datapoints, config.metricAggregationType);
    if (Number.isNaN(metric)) return undefined;
    const step = selectStep(config.steps, metric - trigger.threshold);
    if (!step) return undefined;
    return {
      desired: Math.max(0, stepCapacity(config, step, current)),
      fromBase: (base) => Math.max(0, stepCapacity(config, step, base)),
    };
  }
  const targetValue = Number(policy.targetTracking?.TargetValue);
  const metric = trigger.datapoints[trigger.datapoints.length - 1];
  if (metric === undefined || !(targetValue > 0)) return undefined;
  if (isHighAlarm(trigger.alarmName)) {
    return {
      desired: scaleOutCapacity(current, metric, targetValue),
      fromBase: (base) => scaleOutCapacity(base, metric, targetValue),
    };
  }
  if (policy.targetTracking?.DisableScaleIn === true) return undefined;
  return { desired: scaleInCapacity(current, metric, targetValue) };
}

export const isHighAlarm = (name: string) => /-AlarmHigh-[0-9a-f-]+$/.test(name);

/**
 * For a target tracking scale-in: the largest capacity the other target tracking policies with
 * scale-in enabled ask for, when every one of them is in ALARM on its low alarm; undefined when
 * one is not. Without a way to read alarms, the policy is taken to speak alone.
 */
async function peersAgree(
  tx: Tx,
  policy: Stored<ScalingPolicyRecord>,
  current: number,
  peers: PeerAlarms | undefined,
): Promise<number | undefined> {
  const others = (
    await tx.list<ScalingPolicyRecord>(Kind.ScalingPolicy, { prefix: keys.inTarget(policy.value.targetKey) })
  ).filter(
    (p) =>
      p.key !== policy.key &&
      p.value.policyType === PolicyType.TargetTracking &&
      p.value.targetTracking?.DisableScaleIn !== true,
  );
  let agreed = 0;
  for (const other of others) {
    const low = other.value.alarms.find((a) => !isHighAlarm(a.name));
    if (!low || !peers) continue;
    const trigger = await peers(tx, low.name);
    const proposal = trigger ? propose(other.value, trigger, current) : undefined;
    if (!proposal) return undefined;
    agreed = Math.max(agreed, proposal.desired);
  }
  return agreed;
}
