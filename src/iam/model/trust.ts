/**
 * Whether a role's trust policy lets a caller assume it: the part of IAM's evaluation a trust
 * policy needs. A statement applies when its Action (or NotAction) covers the action, its
 * Principal names the caller and every condition holds; an applying Deny wins, else an applying
 * Allow allows, else the answer is no (implicit deny).
 *
 * Principals: `"*"`; `AWS` as an account id or `arn:aws:iam::<account>:root` (any principal of
 * that account), a user ARN, a role ARN (that role's sessions), an assumed-role session ARN;
 * `Service` names (only a service assuming a role for Longshore itself, e.g. task roles).
 * Conditions: the String*, Bool and Null operators, with `...IfExists` and `ForAnyValue:` /
 * `ForAllValues:`, over the keys AssumeRole sets (sts:ExternalId, sts:SourceIdentity,
 * sts:RoleSessionName, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
 * aws:username, aws:RequestTag/*, aws:TagKeys). An operator or key not listed never matches.
 */
import { listOf, statementsOf } from './policy-document.ts';
import type { PolicyDocument, Principal } from './principal.ts';

/** Who asks: a principal signing an AssumeRole call, or an AWS service (`ecs-tasks.amazonaws.com`). */
export type TrustCaller = { type: 'principal'; principal: Principal } | { type: 'service'; service: string };

export interface TrustRequest {
  caller: TrustCaller;
  /** `sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`. */
  action: string;
  /** Condition keys and their values for this request. */
  context: Readonly<Record<string, string | readonly string[]>>;
}

/** True when `document` allows the request and no statement denies it. */
export function trustAllows(document: PolicyDocument, request: TrustRequest): boolean {
  let allowed = false;
  for (const s of statementsOf(document)) {
    if (!actionApplies(s, request.action)) continue;
    if (!principalApplies(s, request.caller)) continue;
    if (!conditionsHold(s.Condition, request.context)) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

/** The condition keys of a principal (aws:PrincipalArn ...). */
export function principalContext(principal: Principal): Record<string, string> {
  const type = principal.type === 'root' ? 'Account' : principal.type === 'user' ? 'User' : 'AssumedRole';
  const ctx: Record<string, string> = {
    'aws:PrincipalArn': principal.type === 'assumed-role' ? principal.roleArn : principal.arn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': type,
    'aws:userid': principal.userId,
  };
  if (principal.type === 'user') ctx['aws:username'] = principal.userName;
  return ctx;
}

function actionApplies(s: Record<string, unknown>, action: string): boolean {
  if (s.Action !== undefined) return listOf(s.Action).some((a) => wildcard(a, action, true));
  return !listOf(s.NotAction).some((a) => wildcard(a, action, true));
}

function principalApplies(s: Record<string, unknown>, caller: TrustCaller): boolean {
  if (s.Principal !== undefined) return principalNamed(s.Principal, caller);
  if (s.NotPrincipal !== undefined) return !principalNamed(s.NotPrincipal, caller);
  return false;
}

function principalNamed(element: unknown, caller: TrustCaller): boolean {
  if (element === '*') return true;
  if (typeof element !== 'object' || element === null) return false;
  const named = element as Record<string, unknown>;
  if (caller.type === 'service') return listOf(named.Service).includes(caller.service);
  const p = caller.principal;
  return listOf(named.AWS).some((entry) => {
    if (entry === '*') return true;
    if (entry === p.accountId || entry === `arn:aws:iam::${p.accountId}:root`) return true;
    if (entry === p.arn) return true;
    return p.type === 'assumed-role' && entry === p.roleArn;
  });
}

function conditionsHold(condition: unknown, context: TrustRequest['context']): boolean {
  if (condition === undefined) return true;
  for (const [operator, block] of Object.entries(condition as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(block)) {
      if (!conditionHolds(operator, context[key], listOf(expected).map(String))) return false;
    }
  }
  return true;
}

function conditionHolds(
  operator: string,
  actual: string | readonly string[] | undefined,
  expected: string[],
): boolean {
  let op = operator;
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) [set, op] = ['any', op.slice('ForAnyValue:'.length)];
  else if (op.startsWith('ForAllValues:')) [set, op] = ['all', op.slice('ForAllValues:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  if (op === 'Null') return (actual === undefined) === (expected[0] === 'true');
  if (actual === undefined) return ifExists || set === 'all' || (set === undefined && op.includes('Not'));
  const values = typeof actual === 'string' ? [actual] : [...actual];
  const one = (v: string): boolean | undefined => matchOne(op, v, expected);
  if (set === 'all') return values.every((v) => one(v) === true);
  if (set === 'any') return values.some((v) => one(v) === true);
  return values.some((v) => one(v) === true);
}

function matchOne(op: string, value: string, expected: string[]): boolean | undefined {
  switch (op) {
    case 'StringEquals':
      return expected.includes(value);
    case 'StringNotEquals':
      return !expected.includes(value);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcard(e, value, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((e) => wildcard(e, value, false));
    case 'ArnEquals':
      return expected.includes(value);
    case 'ArnNotEquals':
      return !expected.includes(value);
    case 'Bool':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    default:
      return undefined;
  }
}

/** `*` and `?` globbing; actions compare without regard to case, as IAM does. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
