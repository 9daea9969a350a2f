/** CreateListener: a port of a load balancer with its default actions (and, for HTTPS/TLS, its certificate). */
import type { CreateListenerInput, CreateListenerOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { checkedActions, checkUniqueGroups } from './actions.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import {
  checkedAlpnPolicy,
  checkedCertificates,
  checkedPort,
  checkedProtocol,
  checkedSslPolicy,
} from './listener-settings.ts';
import { checkArn, requireLoadBalancer } from './lookups.ts';
import { listenerArn, newElbId, ruleArn } from './model/arns.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import { listListeners } from './model/lookups.ts';
import type { ListenerRecord } from './model/records.ts';
import { forwardedGroups, targetGroupUsage } from './model/usage.ts';
import { inRegion } from './region.ts';
import { listenerShape } from './shapes.ts';
import { checkedTags } from './tags.ts';

export async function createListener(
  ctx: Elbv2Context,
  input: Wire<CreateListenerInput>,
  _request: RequestContext,
): Promise<Wire<CreateListenerOutput>> {
  checkArn(input.LoadBalancerArn ?? '', 'loadbalancer');
  const port = checkedPort(input.Port);
  const tags = checkedTags(input.Tags);
  const mode = input.MutualAuthentication?.Mode;
  if (mode !== undefined && mode !== 'off') {
    throw validation(`Longshore does not support mutual TLS authentication (mode '${mode}')`);
  }
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    const protocol = checkedProtocol(lb.type, input.Protocol);
    const sslPolicy = checkedSslPolicy(protocol, input.SslPolicy);
    const alpnPolicy = checkedAlpnPolicy(protocol, input.AlpnPolicy);
    const certificateArns = await checkedCertificates(tx, protocol, input.Certificates);
    const usage = await targetGroupUsage(tx);
    const defaultActions = await checkedActions(tx, input.DefaultActions, {
      lb,
      listenerProtocol: protocol,
      usage,
    });
    const listeners = await listListeners(tx, lb.arn);
    if (listeners.some((l) => l.port === port)) {
      throw new ServiceError(
        Elbv2ErrorCode.DuplicateListener,
        `A listener already exists on this port for this load balancer '${lb.arn}'`,
      );
    }
    const max =
      lb.type === 'application'
        ? ACCOUNT_LIMITS['listeners-per-application-load-balancer']
        : ACCOUNT_LIMITS['listeners-per-network-load-balancer'];
    if (listeners.length >= max) {
      throw new ServiceError(
        Elbv2ErrorCode.TooManyListeners,
        `You've reached the limit on the number of listeners per load balancer (${max})`,
      );
    }
    if (lb.type === 'application') checkUniqueGroups(lb.arn, usage, forwardedGroups(defaultActions));
    const arn = listenerArn(lb.arn, newElbId(ctx.rng));
    const listener: ListenerRecord = {
      arn,
      loadBalancerArn: lb.arn,
      port,
      protocol,
      ...(sslPolicy ? { sslPolicy } : {}),
      certificateArns,
      ...(alpnPolicy ? { alpnPolicy } : {}),
      defaultActions,
      defaultRuleArn: ruleArn(arn, newElbId(ctx.rng)),
      tags,
      defaultRuleTags: [],
      createdAt: ctx.clock.now(),
    };
    await tx.put(Kind.Elbv2Listener, arn, listener, 'absent');
    return { Listeners: [listenerShape(listener)] };
  });
}
