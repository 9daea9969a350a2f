/**
 * The policy evaluation logic IAM documents, for one request:
 *
 * 1. An explicit Deny in any applicable policy (identity-based, resource-based, permissions
 *    boundary, session) decides: denied.
 * 2. Same account: a resource-based policy that allows the caller by its own ARN (the user, or the
 *    role session) decides: allowed, whatever the identity policies, boundary and session
 *    policies say. One that names the session's role (or `*`) stands in for an identity-based
 *    allow, still limited by the boundary and session policies. One that names the account only
 *    delegates to the account's IAM policies.
 * 3. Otherwise an identity-based policy must allow; then the permissions boundary (if any) and
 *    the session policies (if any) must each allow too (they intersect, never grant).
 * 4. Cross-account (the resource's account is not the caller's): steps 1 and 3 as above, and the
 *    resource-based policy must allow as well.
 *
 * Root principals are allowed everything (the account root user is). The decision lists the
 * statements that made it, for "why was this denied" answers.
 */
import type { Principal } from '../model/principal.ts';
import type { AuthorizationRequest } from './context.ts';
import type { CompiledPolicy, CompiledStatement, PolicyType } from './document.ts';
import type { PrincipalMatch } from './principal-match.ts';

/** The compiled policies of a principal (PolicySet, compiled). */
export interface CompiledPolicySet {
  identity: readonly CompiledPolicy[];
  boundary?: CompiledPolicy;
  session?: readonly CompiledPolicy[];
}

/** A statement that took part in a decision. */
export interface DecidingStatement {
  source: string;
  policyType: PolicyType;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  statement: Record<string, unknown>;
}

export type Decision =
  | { type: 'allowed'; statements: DecidingStatement[]; root?: true }
  | { type: 'explicitDeny'; policyType: PolicyType; statements: DecidingStatement[] }
  /** `missing`: the policy type that had no Allow (identity-based, boundary, session or resource). */
  | { type: 'implicitDeny'; missing: PolicyType; statements: DecidingStatement[] };

export interface EvaluationInput {
  request: AuthorizationRequest;
  policies: CompiledPolicySet;
  /** The resource's own policy, when it has one. */
  resourcePolicy?: CompiledPolicy;
  /** The account that owns the resource; default the caller's. */
  resourceAccount?: string;
}

const deciding = (s: CompiledStatement): DecidingStatement => ({
  source: s.source,
  policyType: s.policyType,
  index: s.index,
  ...(s.sid ? { sid: s.sid } : {}),
  effect: s.effect,
  statement: s.statement,
});

/** Whether `statement` applies to the request; for resource policies, how it names the caller. */
function applies(s: CompiledStatement, req: AuthorizationRequest): PrincipalMatch | false {
  let how: PrincipalMatch = 'identity';
  if (s.policyType === 'resource') {
    if (s.principal) {
      const m = s.principal(req.principal);
      if (!m) return false;
      how = m;
    } else if (s.notPrincipal) {
      if (s.notPrincipal(req.principal)) return false;
      how = 'any';
    } else return false;
  }
  if (!s.matchesAction(req.action)) return false;
  if (!s.matchesResource(req.resource, req.context)) return false;
  if (s.condition && !s.condition(req.context)) return false;
  return how;
}

interface Matches {
  allow: { statement: CompiledStatement; how: PrincipalMatch }[];
  deny: CompiledStatement[];
}

function scan(policies: readonly CompiledPolicy[], req: AuthorizationRequest, into: Matches): void {
  for (const policy of policies) {
    for (const s of policy.statements) {
      const how = applies(s, req);
      if (how === false) continue;
      if (s.effect === 'Deny') into.deny.push(s);
      else into.allow.push({ statement: s, how });
    }
  }
}

/** Evaluates one request (see the module comment for the order). */
export function evaluate(input: EvaluationInput): Decision {
  const { request, policies } = input;
  if (request.principal.type === 'root') return { type: 'allowed', statements: [], root: true };
  const identity: Matches = { allow: [], deny: [] };
  const boundary: Matches = { allow: [], deny: [] };
  const session: Matches = { allow: [], deny: [] };
  const resource: Matches = { allow: [], deny: [] };
  scan(policies.identity, request, identity);
  if (policies.boundary) scan([policies.boundary], request, boundary);
  if (policies.session) scan(policies.session, request, session);
  if (input.resourcePolicy) scan([input.resourcePolicy], request, resource);

  // 1. Explicit deny anywhere.
  for (const [type, m] of [
    ['identity', identity],
    ['resource', resource],
    ['boundary', boundary],
    ['session', session],
  ] as const) {
    if (m.deny.length > 0) {
      const all = [...identity.deny, ...resource.deny, ...boundary.deny, ...session.deny];
      return { type: 'explicitDeny', policyType: type, statements: all.map(deciding) };
    }
  }
  const crossAccount =
    input.resourceAccount !== undefined && input.resourceAccount !== request.principal.accountId;
  const principal = request.principal;
  // 2. Same account: a resource policy naming the caller itself decides.
  if (!crossAccount) {
    const unlimited = resource.allow.filter(
      (a) => a.how === 'identity' || (a.how === 'any' && principal.type === 'user'),
    );
    if (unlimited.length > 0)
      return { type: 'allowed', statements: unlimited.map((a) => deciding(a.statement)) };
  }
  // 3. Identity-based (or a resource policy standing in for it), then boundary and session.
  const standIn = crossAccount ? [] : resource.allow.filter((a) => a.how === 'role' || a.how === 'any');
  const granted = [...identity.allow, ...standIn];
  if (granted.length === 0) return { type: 'implicitDeny', missing: 'identity', statements: [] };
  if (policies.boundary && boundary.allow.length === 0)
    return {
      type: 'implicitDeny',
      missing: 'boundary',
      statements: granted.map((a) => deciding(a.statement)),
    };
  if (policies.session && policies.session.length > 0 && session.allow.length === 0)
    return {
      type: 'implicitDeny',
      missing: 'session',
      statements: granted.map((a) => deciding(a.statement)),
    };
  // 4. Cross-account: the resource's policy must allow too.
  if (crossAccount && resource.allow.length === 0)
    return {
      type: 'implicitDeny',
      missing: 'resource',
      statements: granted.map((a) => deciding(a.statement)),
    };
  const statements = [
    ...granted,
    ...boundary.allow,
    ...session.allow,
    ...(crossAccount ? resource.allow : []),
  ];
  return { type: 'allowed', statements: statements.map((a) => deciding(a.statement)) };
}

const ARTICLE: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
};
const NONE: Record<PolicyType, string> = {
  identity: 'no identity-based policy',
  resource: 'no resource-based policy',
  boundary: 'no permissions boundary',
  session: 'no session policy',
};

/**
 * AWS's access-denied message: "User: ARN is not authorized to perform: ACTION on resource:
 * RESOURCE because no identity-based policy allows the ACTION action" (or "with an explicit deny
 * in an identity-based policy").
 */
export function deniedMessage(
  principal: Principal,
  action: string,
  resource: string,
  decision: Decision,
): string {
  const head = `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`;
  if (decision.type === 'explicitDeny')
    return `${head} with an explicit deny in ${ARTICLE[decision.policyType]}`;
  if (decision.type === 'implicitDeny')
    return `${head} because ${NONE[decision.missing]} allows the ${action} action`;
  return head;
}
