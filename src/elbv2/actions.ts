/**
 * Listener and rule actions as a request gives them, checked the way ELBv2 checks them and turned
 * into records: forward (one target group, or ForwardConfig's weighted groups and group
 * stickiness), redirect and fixed-response. Authenticate actions are refused (Longshore has no
 * identity provider to send users to).
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import type { Reader } from '../store/store.ts';
import { forward } from './forward-action.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import type { ActionRecord, LoadBalancerRecord, TargetGroupProtocol } from './model/records.ts';
import { fixedResponse, redirect } from './response-actions.ts';

const MAX_ORDER = 50_000;

const invalidAction = (message: string) =>
  new ServiceError(Elbv2ErrorCode.InvalidLoadBalancerAction, message);

/** Where the actions are: the load balancer and the listener's protocol. */
export interface ActionSite {
  lb: LoadBalancerRecord;
  listenerProtocol: TargetGroupProtocol;
  /** Target group ARN -> load balancers using it, before this change (usage.ts). */
  usage: ReadonlyMap<string, readonly string[]>;
}

export async function checkedActions(
  reader: Reader,
  actions: readonly Wire<Action>[] | undefined,
  site: ActionSite,
): Promise<ActionRecord[]> {
  if (!actions || actions.length === 0) throw validation('At least one action must be specified');
  const out: ActionRecord[] = [];
  const orders = new Set<number>();
  for (const action of actions) {
    const order = action.Order;
    if (order !== undefined) {
      if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
        throw validation(`Action order '${order}' must be between 1 and ${MAX_ORDER}`);
      }
      if (orders.has(order)) throw validation(`Action order '${order}' is used by more than one action`);
      orders.add(order);
    }
    out.push(await checkedAction(reader, action, site));
  }
  if (out.length > 1) {
    // Every action Longshore serves is terminal, and a rule has exactly one terminal action.
    throw invalidAction('A rule can have only one forward, redirect or fixed-response action');
  }
  return out;
}

async function checkedAction(reader: Reader, action: Wire<Action>, site: ActionSite): Promise<ActionRecord> {
  const order = action.Order !== undefined ? { order: action.Order } : {};
  const type = action.Type;
  if (type === 'authenticate-oidc' || type === 'authenticate-cognito') {
    throw validation(`Longshore does not support '${type}' actions`);
  }
  if (type !== 'forward' && type !== 'redirect' && type !== 'fixed-response') {
    throw validation(`Action type '${type ?? ''}' must be one of 'forward, redirect, fixed-response'`);
  }
  if (type !== 'forward' && site.lb.type === 'network') {
    throw invalidAction(`Network load balancers only support forward actions, not '${type}'`);
  }
  if (type === 'forward') return { type, ...order, ...(await forward(reader, action, site)) };
  if (type === 'redirect') return { type, ...order, ...redirect(action) };
  return { type, ...order, ...fixedResponse(action) };
}

/**
 * The unique target groups a load balancer would forward to after a change (ALBs: at most 100,
 * TooManyUniqueTargetGroupsPerLoadBalancer).
 */
export function checkUniqueGroups(
  lbArn: string,
  usage: ReadonlyMap<string, readonly string[]>,
  added: readonly string[],
) {
  const groups = new Set([...usage].filter(([, lbs]) => lbs.includes(lbArn)).map(([tg]) => tg));
  for (const tg of added) groups.add(tg);
  const max = ACCOUNT_LIMITS['target-groups-per-application-load-balancer'];
  if (groups.size > max) {
    throw new ServiceError(
      Elbv2ErrorCode.TooManyUniqueTargetGroupsPerLoadBalancer,
      `A load balancer can forward to at most ${max} unique target groups`,
    );
  }
}
