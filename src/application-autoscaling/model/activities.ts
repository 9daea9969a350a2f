/**
 * Scaling activities as Application Auto Scaling words them, and their records. The texts follow
 * AWS's examples: "Setting desired count to 1." caused by "monitor alarm web-app-cpu-lt-25 in
 * state ALARM triggered policy web-app-cpu-lt-25", ending "Successfully set desired count to 1.
 * Change successfully fulfilled by ecs."; a scheduled action's "Setting min capacity to 15 and max
 * capacity to 20" caused by "scheduled action name NAME was triggered", and the desired count
 * change that follows it caused by "minimum capacity was set to 15".
 */
import { Kind, type Tx } from '../../store/store.ts';
import {
  ACTIVITY_RETENTION_MS,
  type AutoScalingContext,
  keys,
  newUuid,
  type NotScaledReasonRecord,
  type ScalingActivityRecord,
} from './records.ts';

export const Wording = {
  settingDesired: (n: number) => `Setting desired count to ${n}.`,
  setDesired: (n: number) => `Successfully set desired count to ${n}. Change successfully fulfilled by ecs.`,
  failedDesired: (n: number, reason: string) => `Failed to set desired count to ${n}. Reason: ${reason}`,
  alarmCause: (alarm: string, policy: string) =>
    `monitor alarm ${alarm} in state ALARM triggered policy ${policy}`,
  scheduledCause: (action: string) => `scheduled action name ${action} was triggered`,
  minimumSet: (n: number) => `minimum capacity was set to ${n}`,
  maximumSet: (n: number) => `maximum capacity was set to ${n}`,
  /** A not scaled activity's description. */
  attempting: 'Attempting to scale due to alarm triggered',
  settingRange: (min: number | undefined, max: number | undefined) => `Setting ${rangeText(min, max)}`,
  setRange: (min: number | undefined, max: number | undefined) => `Successfully set ${rangeText(min, max)}`,
  failedRange: (min: number | undefined, max: number | undefined, reason: string) =>
    `Failed to set ${rangeText(min, max)}. Reason: ${reason}`,
} as const;

function rangeText(min: number | undefined, max: number | undefined): string {
  const parts = [
    ...(min !== undefined ? [`min capacity to ${min}`] : []),
    ...(max !== undefined ? [`max capacity to ${max}`] : []),
  ];
  return parts.join(' and ');
}

/** NotScaledReasons codes (the API reference's list). */
export const NotScaledCode = {
  AlreadyAtMax: 'AlreadyAtMaxCapacity',
  AlreadyAtMin: 'AlreadyAtMinCapacity',
  AlreadyAtDesired: 'AlreadyAtDesiredCapacity',
  AnticipatedFlapping: 'AutoScalingAnticipatedFlapping',
} as const;

export interface ActivityInput {
  description: string;
  cause: string;
  statusCode: ScalingActivityRecord['statusCode'];
  statusMessage?: string;
  notScaled?: boolean;
  notScaledReasons?: NotScaledReasonRecord[];
}

/**
 * Writes one activity of the target (in the caller's transaction) and forgets the target's
 * activities older than six weeks. Activities that change nothing end when they start; a refusal
 * that repeats the newest one (same cause, same reason) is not written again.
 */
export async function recordActivity(
  tx: Tx,
  ctx: Pick<AutoScalingContext, 'clock' | 'rng'>,
  targetKey: string,
  resourceId: string,
  input: ActivityInput,
): Promise<ScalingActivityRecord> {
  const now = ctx.clock.now();
  const all = await tx.list<ScalingActivityRecord>(Kind.ScalingActivity, {
    prefix: keys.inTarget(targetKey),
  });
  // An alarm held in ALARM invokes its policy every evaluation: the same refusal is kept once.
  const newest = all[0]?.value;
  if (
    input.notScaled &&
    newest?.notScaled &&
    newest.cause === input.cause &&
    newest.statusMessage === input.statusMessage
  ) {
    return newest;
  }
  const activityId = newUuid(ctx.rng);
  const seq = (all.reduce((max, a) => Math.max(max, a.value.seq ?? 0), 0) % 999_999_999) + 1;
  const record: ScalingActivityRecord = {
    activityId,
    seq,
    targetKey,
    resourceId,
    description: input.description,
    cause: input.cause,
    startTime: now,
    endTime: now,
    statusCode: input.statusCode,
    ...(input.statusMessage !== undefined ? { statusMessage: input.statusMessage } : {}),
    ...(input.notScaled ? { notScaled: true } : {}),
    ...(input.notScaledReasons ? { notScaledReasons: input.notScaledReasons } : {}),
  };
  await tx.put(Kind.ScalingActivity, keys.activity(targetKey, now, seq), record);
  for (const old of all) {
    if (old.value.startTime < now - ACTIVITY_RETENTION_MS) await tx.remove(Kind.ScalingActivity, old.key);
  }
  return record;
}
