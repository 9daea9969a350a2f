/** DescribeTargetHealth: the state of a group's targets (or of the ones asked about), with ELBv2's reason codes. */
import type {
  DescribeTargetHealthInput,
  DescribeTargetHealthOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireTargetGroup } from './lookups.ts';
import { validation } from './model/errors.ts';
import { describeTargetHealth as healthOf } from './model/target-health.ts';
import { targetInputs } from './register-targets.ts';
import { inRegion } from './region.ts';

export async function describeTargetHealth(
  ctx: Elbv2Context,
  input: Wire<DescribeTargetHealthInput>,
  _request: RequestContext,
): Promise<Wire<DescribeTargetHealthOutput>> {
  const arn = input.TargetGroupArn ?? '';
  checkArn(arn, 'targetgroup');
  const asked = input.Targets && input.Targets.length > 0 ? targetInputs(input.Targets) : undefined;
  for (const include of input.Include ?? []) {
    if (include !== 'AnomalyDetection' && include !== 'All') {
      throw validation(`Include '${include}' must be one of 'AnomalyDetection, All'`);
    }
  }
  return inRegion(ctx, async (tx) => {
    const tg = await requireTargetGroup(tx, arn);
    const views = await healthOf(tx, arn, ctx.clock.now(), asked);
    return {
      TargetHealthDescriptions: views.map((v) => ({
        Target: {
          Id: v.target.id,
          Port: v.target.port,
          ...(v.target.availabilityZone ? { AvailabilityZone: v.target.availabilityZone } : {}),
        },
        HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(v.target.port) : tg.healthCheck.port,
        TargetHealth: {
          State: v.state,
          ...(v.reason ? { Reason: v.reason } : {}),
          ...(v.description ? { Description: v.description } : {}),
        },
      })),
    };
  });
}
