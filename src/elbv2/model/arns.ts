/**
 * ELBv2's ARNs, which embed their parents, and the ids in them (16 hex digits from the injected Rng):
 *
 *   load balancer  arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/50dc6c495c0c9188
 *   listener       ...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2
 *   rule           ...:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
 *   target group   ...:targetgroup/web-targets/73e2d6bc24d8a067
 *
 * A load balancer's listeners are the listener keys under `listener/<its path>/`, a listener's
 * rules the rule keys under `listener-rule/<its path>/`: the store lists them by prefix.
 */
import type { Partition } from '../../core/arn.ts';
import type { Rng } from '../../core/clock.ts';
import type { LoadBalancerType } from './records.ts';

const SERVICE = 'elasticloadbalancing';

/** A target's store key, `<group ARN>|<id>:<port>`; the part after `|` is the data plane's target key. */
export const targetKey = (tgArn: string, id: string, port: number) => `${tgArn}|${id}:${port}`;
export const groupPrefix = (tgArn: string) => `${tgArn}|`;

/** `app` or `net`, as the ARN and the listener's path name the type. */
export const typeSegment = (type: LoadBalancerType) => (type === 'application' ? 'app' : 'net');

export const newElbId = (rng: Rng) => rng.hex(8);

const prefix = (p: Partition) => `arn:aws:${SERVICE}:${p.region}:${p.accountId}:`;

export function loadBalancerArn(p: Partition, type: LoadBalancerType, name: string, id: string): string {
  return `${prefix(p)}loadbalancer/${typeSegment(type)}/${name}/${id}`;
}

export function targetGroupArn(p: Partition, name: string, id: string): string {
  return `${prefix(p)}targetgroup/${name}/${id}`;
}

/** The part of a load balancer's ARN after `loadbalancer/`: `app/web/50dc6c495c0c9188`. */
function lbPath(lbArn: string): string {
  return lbArn.slice(lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

export function listenerArn(lbArn: string, id: string): string {
  return `${listenerPrefix(lbArn)}${id}`;
}

/** The key prefix of a load balancer's listeners. */
export function listenerPrefix(lbArn: string): string {
  return `${lbArn.slice(0, lbArn.indexOf(':loadbalancer/'))}:listener/${lbPath(lbArn)}/`;
}

export function ruleArn(listener: string, id: string): string {
  return `${rulePrefix(listener)}${id}`;
}

/** The key prefix of a listener's rules. */
export function rulePrefix(listener: string): string {
  return `${listener.replace(':listener/', ':listener-rule/')}/`;
}

/** What an ARN names, by its resource part; undefined when it is no ELBv2 ARN of this partition's shape. */
export type ArnKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule';

const SHAPES: Readonly<Record<ArnKind, RegExp>> = {
  loadbalancer: /^loadbalancer\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
  targetgroup: /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
  listener: /^listener\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
  'listener-rule': /^listener-rule\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
};

/** The kind of ELBv2 resource `arn` names (any region and account), undefined when it is not one. */
export function arnKind(arn: string): ArnKind | undefined {
  const m = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(.+)$/.exec(arn);
  if (!m) return undefined;
  for (const kind of Object.keys(SHAPES) as ArnKind[]) if (SHAPES[kind].test(m[1])) return kind;
  return undefined;
}

/** The load balancer ARN a listener or rule ARN embeds. */
export function loadBalancerArnOf(childArn: string): string {
  const m =
    /^(arn:[^:]+:[^:]+:[^:]+:[^:]+):(?:listener|listener-rule)\/(app|net)\/([^/]+)\/([0-9a-f]{16})/.exec(
      childArn,
    );
  return m ? `${m[1]}:loadbalancer/${m[2]}/${m[3]}/${m[4]}` : '';
}

/** The listener ARN a rule ARN embeds. */
export function listenerArnOf(rule: string): string {
  return rule.replace(':listener-rule/', ':listener/').replace(/\/[0-9a-f]{16}$/, '');
}
