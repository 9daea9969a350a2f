/** ModifyListener: a listener's port, protocol, certificate, policies or default actions, the result checked whole. */
import type { ModifyListenerInput, ModifyListenerOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
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
  isSecure,
} from './listener-settings.ts';
import { requireListener, requireLoadBalancer } from './lookups.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { listListeners, listRules } from './model/lookups.ts';
import type { ListenerRecord } from './model/records.ts';
import { forwardedGroups, targetGroupUsage } from './model/usage.ts';
import { inRegion } from './region.ts';
import { actionShape, listenerShape } from './shapes.ts';

export async function modifyListener(
  ctx: Elbv2Context,
  input: Wire<ModifyListenerInput>,
  _request: RequestContext,
): Promise<Wire<ModifyListenerOutput>> {
  const mode = input.MutualAuthentication?.Mode;
  if (mode !== undefined && mode !== 'off') {
    throw validation(`Longshore does not support mutual TLS authentication (mode '${mode}')`);
  }
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    const lb = await requireLoadBalancer(tx, listener.loadBalancerArn);
    const port = input.Port !== undefined ? checkedPort(input.Port) : listener.port;
    const protocol = checkedProtocol(lb.type, input.Protocol ?? listener.protocol);
    const keepSecure = isSecure(protocol) && isSecure(listener.protocol);
    const sslPolicy = checkedSslPolicy(
      protocol,
      input.SslPolicy ?? (keepSecure ? listener.sslPolicy : undefined),
    );
    const alpn =
      input.AlpnPolicy ?? (protocol === 'TLS' && listener.alpnPolicy ? [listener.alpnPolicy] : undefined);
    const alpnPolicy = checkedAlpnPolicy(protocol, alpn);
    const certificates =
      input.Certificates ??
      (keepSecure ? listener.certificateArns.map((a) => ({ CertificateArn: a })) : undefined);
    const certificateArns = await checkedCertificates(tx, protocol, certificates);
    const usage = await targetGroupUsage(tx);
    const site = { lb, listenerProtocol: protocol, usage };
    // The default actions as given, or the current ones re-checked against a changed protocol.
    const defaultActions = await checkedActions(
      tx,
      input.DefaultActions ?? listener.defaultActions.map(actionShape),
      site,
    );
    if (protocol !== listener.protocol) {
      for (const rule of await listRules(tx, listener.arn))
        await checkedActions(tx, rule.actions.map(actionShape), site);
    }
    const others = (await listListeners(tx, lb.arn)).filter((l) => l.arn !== listener.arn);
    if (others.some((l) => l.port === port)) {
      throw new ServiceError(
        Elbv2ErrorCode.DuplicateListener,
        `A listener already exists on this port for this load balancer '${lb.arn}'`,
      );
    }
    if (lb.type === 'application') checkUniqueGroups(lb.arn, usage, forwardedGroups(defaultActions));
    const { sslPolicy: _s, alpnPolicy: _a, ...rest } = listener;
    const updated: ListenerRecord = {
      ...rest,
      port,
      protocol,
      ...(sslPolicy ? { sslPolicy } : {}),
      certificateArns,
      ...(alpnPolicy ? { alpnPolicy } : {}),
      defaultActions,
    };
    // Certificates added besides the default stay while the listener stays secure.
    if (!isSecure(protocol)) delete updated.additionalCertificateArns;
    await tx.put(Kind.Elbv2Listener, listener.arn, updated);
    return { Listeners: [listenerShape(updated)] };
  });
}
