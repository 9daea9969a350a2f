/** RegisterTargets: adds instance or ip targets to a group, all or none (model/targets.ts has the rules). */
import type { RegisterTargetsInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn } from './lookups.ts';
import { validation } from './model/errors.ts';
import type { TargetInput } from './model/target-records.ts';
import { registerTargets as register } from './model/targets.ts';
import { inRegion } from './region.ts';

export async function registerTargets(
  ctx: Elbv2Context,
  input: Wire<RegisterTargetsInput>,
  _request: RequestContext,
): Promise<object> {
  const arn = input.TargetGroupArn ?? '';
  checkArn(arn, 'targetgroup');
  const targets = targetInputs(input.Targets);
  return inRegion(ctx, async (tx) => {
    await register(tx, ctx, arn, targets);
    return {};
  });
}

/** The request's targets: at least one, each with an id. */
export function targetInputs(
  targets: readonly { Id?: string; Port?: number; AvailabilityZone?: string }[] | undefined,
): TargetInput[] {
  if (!targets || targets.length === 0) throw validation('At least one target must be specified');
  return targets.map((t) => {
    if (!t.Id) throw validation('A target must have an ID');
    return {
      id: t.Id,
      ...(t.Port !== undefined ? { port: t.Port } : {}),
      ...(t.AvailabilityZone !== undefined ? { availabilityZone: t.AvailabilityZone } : {}),
    };
  });
}
