/**
 * Forward actions: one target group, or ForwardConfig's weighted groups and group stickiness,
 * each group checked against the load balancer it would join (protocol, VPC, one load balancer
 * per group).
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import type { Reader } from '../store/store.ts';
import type { ActionSite } from './actions.ts';
import { requireTargetGroup } from './lookups.ts';
import { isHttpProtocol } from './model/attributes.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import type { TargetGroupProtocol } from './model/records.ts';

/** The target group protocols a listener of each protocol can forward to. */
const COMPATIBLE: Readonly<Record<TargetGroupProtocol, readonly TargetGroupProtocol[]>> = {
  HTTP: ['HTTP', 'HTTPS'],
  HTTPS: ['HTTP', 'HTTPS'],
  TCP: ['TCP', 'TCP_UDP'],
  TLS: ['TCP', 'TLS'],
  UDP: ['UDP', 'TCP_UDP'],
  TCP_UDP: ['TCP_UDP'],
};

const MAX_WEIGHT = 999;
const MAX_STICKINESS_SECONDS = 604_800;

export async function forward(reader: Reader, action: Wire<Action>, site: ActionSite) {
  const config = action.ForwardConfig;
  let groups: { targetGroupArn: string; weight: number }[];
  if (config?.TargetGroups && config.TargetGroups.length > 0) {
    groups = config.TargetGroups.map((g) => ({
      targetGroupArn: g.TargetGroupArn ?? '',
      weight: g.Weight ?? 1,
    }));
    if (
      action.TargetGroupArn !== undefined &&
      (groups.length !== 1 || groups[0].targetGroupArn !== action.TargetGroupArn)
    ) {
      throw validation(
        'You cannot specify a target group ARN and a forward config with different target groups in the same action',
      );
    }
  } else if (action.TargetGroupArn !== undefined) {
    groups = [{ targetGroupArn: action.TargetGroupArn, weight: 1 }];
  } else {
    throw validation(
      'A target group ARN or a forward config with target groups must be specified for forward actions',
    );
  }
  const max =
    site.lb.type === 'application'
      ? ACCOUNT_LIMITS['target-groups-per-action-on-application-load-balancer']
      : ACCOUNT_LIMITS['target-groups-per-action-on-network-load-balancer'];
  if (groups.length > max) {
    throw new ServiceError(
      Elbv2ErrorCode.TooManyTargetGroups,
      `A forward action can have at most ${max} target group${max === 1 ? '' : 's'}`,
    );
  }
  const seen = new Set<string>();
  for (const g of groups) {
    if (seen.has(g.targetGroupArn)) {
      throw validation(
        `Target group '${g.targetGroupArn}' is specified more than once in the forward action`,
      );
    }
    seen.add(g.targetGroupArn);
    if (!Number.isInteger(g.weight) || g.weight < 0 || g.weight > MAX_WEIGHT) {
      throw validation(`Target group weight '${g.weight}' must be between 0 and ${MAX_WEIGHT}`);
    }
    await checkTargetGroup(reader, g.targetGroupArn, site);
  }
  const sticky = config?.TargetGroupStickinessConfig;
  const enabled = sticky?.Enabled ?? false;
  const duration = sticky?.DurationSeconds;
  if (enabled && duration === undefined) {
    throw validation('A stickiness duration must be specified when target group stickiness is enabled');
  }
  if (
    duration !== undefined &&
    (!Number.isInteger(duration) || duration < 1 || duration > MAX_STICKINESS_SECONDS)
  ) {
    throw validation(
      `Target group stickiness duration '${duration}' must be between 1 and ${MAX_STICKINESS_SECONDS} seconds`,
    );
  }
  return {
    targetGroups: groups,
    stickiness: { enabled, ...(duration !== undefined ? { durationSeconds: duration } : {}) },
  };
}

/** A group the action may forward to: same VPC, a protocol the listener can forward to, no other load balancer. */
async function checkTargetGroup(reader: Reader, arn: string, site: ActionSite): Promise<void> {
  const tg = await requireTargetGroup(reader, arn);
  const lb = site.lb;
  if (lb.type === 'application' ? !isHttpProtocol(tg.protocol) : isHttpProtocol(tg.protocol)) {
    throw new ServiceError(
      Elbv2ErrorCode.IncompatibleProtocols,
      `The target group '${arn}' has protocol '${tg.protocol}', which ${lb.type} load balancers do not support`,
    );
  }
  if (!COMPATIBLE[site.listenerProtocol].includes(tg.protocol)) {
    throw new ServiceError(
      Elbv2ErrorCode.IncompatibleProtocols,
      `Listener protocol '${site.listenerProtocol}' is not compatible with target group protocol '${tg.protocol}'`,
    );
  }
  if (tg.vpcId !== lb.vpcId) {
    throw validation(
      `The target group '${arn}' is in VPC '${tg.vpcId}', not in the load balancer's VPC '${lb.vpcId}'`,
    );
  }
  const others = (site.usage.get(arn) ?? []).filter((other) => other !== lb.arn);
  if (others.length > 0) {
    throw new ServiceError(
      Elbv2ErrorCode.TargetGroupAssociationLimit,
      `The following target groups cannot be associated with more than one load balancer: ${arn}`,
    );
  }
}
