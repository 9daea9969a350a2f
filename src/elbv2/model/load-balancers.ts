/** Load balancer records: their DNS names and hosted zones, and deleting one with its listeners and rules. */
import { Kind, type Tx } from '../../store/store.ts';
import { listListeners, listRules } from './lookups.ts';
import type { Elbv2Scope, LoadBalancerRecord, LoadBalancerScheme, LoadBalancerType } from './records.ts';

/**
 * Route 53's hosted zone of ELBv2's DNS names per region, ALB (and Classic) then NLB, from AWS's
 * endpoint table; a region not listed gets us-east-1's. Longshore serves no Route 53: the id is
 * what an alias record in a template would name.
 */
const HOSTED_ZONES: Readonly<Record<string, readonly [string, string]>> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
};

export function canonicalHostedZoneId(region: string, type: LoadBalancerType): string {
  const zones = HOSTED_ZONES[region] ?? HOSTED_ZONES['us-east-1'];
  return type === 'application' ? zones[0] : zones[1];
}

/**
 * `<name>-<id>.<region>.elb.localhost`, `internal-` first for internal ones, as ELBv2 names them
 * under `elb.amazonaws.com`: ALBs with a 10-digit id (`web-1234567890`), NLBs with 16 hex digits.
 * Every name under `.localhost` resolves to the loopback address (RFC 6761; glibc, systemd-resolved
 * and browsers do this without any DNS setup), so the name reaches the local data plane as is.
 */
export function dnsName(
  scope: Elbv2Scope,
  input: { name: string; type: LoadBalancerType; scheme: LoadBalancerScheme },
): string {
  const id =
    input.type === 'application'
      ? String(1_000_000_000 + Math.floor(scope.rng.next() * 9_000_000_000))
      : scope.rng.hex(8);
  const internal = input.scheme === 'internal' ? 'internal-' : '';
  return `${internal}${input.name}-${id}.${scope.partition.region}.elb.localhost`.toLowerCase();
}

/** Removes a load balancer with its listeners and their rules (DeleteLoadBalancer, after its checks). */
export async function removeLoadBalancer(tx: Tx, lb: LoadBalancerRecord): Promise<void> {
  for (const listener of await listListeners(tx, lb.arn)) await removeListener(tx, listener.arn);
  await tx.remove(Kind.Elbv2LoadBalancer, lb.arn);
}

/** Removes a listener and its rules. */
export async function removeListener(tx: Tx, listenerArn: string): Promise<void> {
  for (const rule of await listRules(tx, listenerArn)) await tx.remove(Kind.Elbv2Rule, rule.arn);
  await tx.remove(Kind.Elbv2Listener, listenerArn);
}
