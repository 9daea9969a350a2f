/**
 * The one write every scaling path ends in: the service's desired count, and the activity that
 * says so (Successful, or Failed with ECS's reason when the service cannot take it).
 */
import type { Stored, Tx } from '../../store/store.ts';
import type { ServiceRecord } from '../../ecs/model/records.ts';
import { recordActivity, Wording } from './activities.ts';
import { setDesiredCount } from './ecs-service.ts';
import type { AutoScalingContext, ScalableTargetRecord, ScalingActivityRecord } from './records.ts';

/** `min <= n <= max`. */
export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

export async function applyDesiredCount(
  tx: Tx,
  ctx: Pick<AutoScalingContext, 'clock' | 'rng'>,
  target: Stored<ScalableTargetRecord>,
  service: Stored<ServiceRecord> | undefined,
  desired: number,
  cause: string,
): Promise<ScalingActivityRecord> {
  const t = target.value;
  if (!service) {
    return recordActivity(tx, ctx, target.key, t.resourceId, {
      description: Wording.settingDesired(desired),
      cause,
      statusCode: 'Failed',
      statusMessage: Wording.failedDesired(desired, 'Service was not ACTIVE.'),
    });
  }
  await setDesiredCount(tx, service, desired, ctx.clock.now());
  return recordActivity(tx, ctx, target.key, t.resourceId, {
    description: Wording.settingDesired(desired),
    cause,
    statusCode: 'Successful',
    statusMessage: Wording.setDesired(desired),
  });
}
