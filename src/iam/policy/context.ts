/**
 * The request context a policy is evaluated against: the action, the resource, and the condition
 * keys with their values. Condition key names are case-insensitive in IAM, so keys are kept in
 * lower case; values keep their case.
 */
import type { Principal } from '../model/principal.ts';

/** A context value: one string, or several for multivalued keys (`aws:TagKeys`, `ecs:container-instances`). */
export type ContextValue = string | readonly string[];

/** Condition keys (lower case) and their values. */
export type ConditionContext = ReadonlyMap<string, ContextValue>;

/** One question the evaluator answers: may `principal` do `action` on `resource`? */
export interface AuthorizationRequest {
  principal: Principal;
  /** `<prefix>:<Operation>`, e.g. `ecs:RunTask`. */
  action: string;
  /** The resource's ARN, or `*` when the action is not authorized against a resource. */
  resource: string;
  /** Every condition key of the request, global and service-specific (see `contextFor`). */
  context: ConditionContext;
}

/** A context from `key -> value` pairs (keys any case; undefined values are left out). */
export function conditionContext(
  entries: Record<string, ContextValue | undefined>,
): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(entries))
    if (value !== undefined) out.set(key.toLowerCase(), value);
  return out;
}

/** What the request context holds about the caller and the moment, besides the service's keys. */
export interface GlobalFacts {
  principal: Principal;
  /** Principal and session tags (`aws:PrincipalTag/<key>`). */
  principalTags?: Readonly<Record<string, string>>;
  /** Epoch ms of the request. */
  now: number;
  region: string;
  sourceIp?: string;
  secureTransport?: boolean;
  /** `aws:RequestTag/<key>` (tags the request sets). */
  requestTags?: Readonly<Record<string, string>>;
  /** `aws:ResourceTag/<key>` (tags the resource has). */
  resourceTags?: Readonly<Record<string, string>>;
  /** The service principals that made the call on the caller's behalf (`aws:CalledVia`). */
  calledVia?: readonly string[];
}

/**
 * The global condition keys of a request (`aws:CurrentTime`, `aws:PrincipalArn` ...), as IAM's
 * "AWS global condition context keys" defines them, added to `into`.
 */
export function addGlobalKeys(
  into: Map<string, ContextValue>,
  facts: GlobalFacts,
): Map<string, ContextValue> {
  const p = facts.principal;
  const set = (key: string, value: ContextValue | undefined) => {
    if (value !== undefined) into.set(key.toLowerCase(), value);
  };
  set('aws:CurrentTime', new Date(facts.now).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  set('aws:EpochTime', String(Math.floor(facts.now / 1000)));
  set('aws:RequestedRegion', facts.region);
  set('aws:SourceIp', facts.sourceIp);
  set('aws:SecureTransport', facts.secureTransport === undefined ? undefined : String(facts.secureTransport));
  set('aws:PrincipalAccount', p.accountId);
  set('aws:userid', p.userId);
  set('aws:ViaAWSService', facts.calledVia && facts.calledVia.length > 0 ? 'true' : 'false');
  if (facts.calledVia && facts.calledVia.length > 0) {
    set('aws:CalledVia', facts.calledVia);
    set('aws:CalledViaFirst', facts.calledVia[0]);
    set('aws:CalledViaLast', facts.calledVia.at(-1));
  }
  switch (p.type) {
    case 'root':
      set('aws:PrincipalArn', p.arn);
      set('aws:PrincipalType', 'Account');
      break;
    case 'user':
      set('aws:PrincipalArn', p.arn);
      set('aws:PrincipalType', 'User');
      set('aws:username', p.userName);
      break;
    case 'assumed-role':
      // The role's ARN, not the session's (IAM's aws:PrincipalArn for role sessions).
      set('aws:PrincipalArn', p.roleArn);
      set('aws:PrincipalType', 'AssumedRole');
      break;
  }
  const tagKeys = (prefix: string, tags: Readonly<Record<string, string>> | undefined) => {
    for (const [k, v] of Object.entries(tags ?? {})) set(`${prefix}${k}`, v);
  };
  tagKeys('aws:PrincipalTag/', facts.principalTags);
  tagKeys('aws:RequestTag/', facts.requestTags);
  tagKeys('aws:ResourceTag/', facts.resourceTags);
  if (facts.requestTags) set('aws:TagKeys', Object.keys(facts.requestTags));
  return into;
}
