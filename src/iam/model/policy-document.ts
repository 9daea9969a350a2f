/**
 * Checks a policy document the way IAM does before it stores one, with IAM's
 * MalformedPolicyDocument messages (as recorded from IAM by moto's `policy_validation.py` and in
 * CloudFormation failures): invalid JSON, unknown elements, Version, Effect, actions, resources,
 * principals (trust policies must name one; identity policies must not), duplicate Sids.
 */
import { IamErrorCode, iamError, malformedPolicy } from './errors.ts';
import type { PolicyDocument } from './principal.ts';

/** Identity policies (managed, inline, boundaries, session policies) or a role's trust policy. */
export type DocumentUse = 'identity' | 'trust';

const TOP_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const VERSIONS = new Set(['2008-10-17', '2012-10-17']);

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';

/**
 * The parsed document, or MalformedPolicyDocument; `maxSize` (characters, whitespace excluded as
 * IAM counts) answers LimitExceeded "Cannot exceed quota for <quota>: <n>".
 */
export function validatePolicyDocument(
  text: string,
  use: DocumentUse,
  quota?: { name: string; size: number },
): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (quota && text.replace(/\s/g, '').length > quota.size) {
    throw iamError(IamErrorCode.LimitExceeded, `Cannot exceed quota for ${quota.name}: ${quota.size}`);
  }
  const doc = parsed as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (!TOP_ELEMENTS.has(key)) throw malformedPolicy(SYNTAX);
  if ('Version' in doc && (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version))) {
    throw malformedPolicy(LEGACY);
  }
  if ('Id' in doc && typeof doc.Id !== 'string') throw malformedPolicy(SYNTAX);
  const statements = statementsOf(doc);
  for (const s of statements) checkStatement(s, use);
  const sids = new Set<string>();
  for (const s of statements) {
    if (typeof s.Sid !== 'string' || s.Sid === '') continue;
    if (sids.has(s.Sid)) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
    sids.add(s.Sid);
  }
  for (const s of statements) {
    const actions = s.Action ?? s.NotAction;
    if (actions === undefined || (Array.isArray(actions) && actions.length === 0)) {
      throw malformedPolicy('Policy statement must contain actions.');
    }
  }
  if (use === 'identity') {
    for (const s of statements) {
      const resources = s.Resource ?? s.NotResource;
      if (resources === undefined || (Array.isArray(resources) && resources.length === 0)) {
        throw malformedPolicy('Policy statement must contain resources.');
      }
      for (const r of listOf(resources)) checkResource(r);
    }
  }
  for (const s of statements) for (const a of listOf(s.Action ?? s.NotAction)) checkAction(a);
  return doc;
}

/** The statements of a parsed document (one object or a list). */
export function statementsOf(doc: Record<string, unknown>): Record<string, unknown>[] {
  const raw = doc.Statement;
  if (raw === undefined) throw malformedPolicy(SYNTAX);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw malformedPolicy(SYNTAX);
  for (const s of list)
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformedPolicy(SYNTAX);
  return list as Record<string, unknown>[];
}

function checkStatement(s: Record<string, unknown>, use: DocumentUse): void {
  for (const key of Object.keys(s)) if (!STATEMENT_ELEMENTS.has(key)) throw malformedPolicy(SYNTAX);
  if ('Action' in s && 'NotAction' in s) throw malformedPolicy(SYNTAX);
  if ('Resource' in s && 'NotResource' in s) throw malformedPolicy(SYNTAX);
  if (!('Effect' in s)) throw malformedPolicy('Missing required field Effect');
  if (typeof s.Effect !== 'string' || !['allow', 'deny'].includes(s.Effect.toLowerCase())) {
    throw malformedPolicy(SYNTAX);
  }
  // Effect is matched case-insensitively by the syntax check, exactly by the legacy parser.
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy(LEGACY);
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (key in s && !isStringOrStrings(s[key])) throw malformedPolicy(SYNTAX);
  }
  if ('Sid' in s && typeof s.Sid !== 'string') throw malformedPolicy(SYNTAX);
  if ('Condition' in s) checkCondition(s.Condition);
  const principal = s.Principal ?? s.NotPrincipal;
  if (use === 'identity' && principal !== undefined) {
    throw malformedPolicy('Policy document should not specify a principal.');
  }
  if (use === 'trust') {
    if (principal === undefined) throw malformedPolicy('Missing required field Principal');
    checkPrincipal(principal);
  }
}

function checkCondition(condition: unknown): void {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    throw malformedPolicy(SYNTAX);
  }
  for (const block of Object.values(condition)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) throw malformedPolicy(SYNTAX);
    for (const value of Object.values(block)) {
      const ok = ['string', 'boolean', 'number'].includes(typeof value) || Array.isArray(value);
      if (!ok) throw malformedPolicy(SYNTAX);
    }
  }
}

const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

function checkPrincipal(principal: unknown): void {
  if (principal === '*') return;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    throw malformedPolicy(SYNTAX);
  }
  for (const [type, value] of Object.entries(principal)) {
    if (!PRINCIPAL_TYPES.has(type) || !isStringOrStrings(value)) throw malformedPolicy(SYNTAX);
    if (type !== 'AWS') continue;
    for (const p of listOf(value)) {
      const valid = p === '*' || /^\d{12}$/.test(p) || /^arn:aws:(iam|sts)::\d{12}:[\w+=,.@/*-]+$/.test(p);
      if (!valid) throw malformedPolicy(`Invalid principal in policy: "AWS":"${p}"`);
    }
  }
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length === 1) {
    throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  }
  if (parts.length > 2) throw malformedPolicy('Actions/Condition can contain only one colon.');
  if (/[^a-zA-Z0-9\-.]/.test(parts[0]!)) throw malformedPolicy(`Vendor ${parts[0]} is not valid`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  if (!resource.includes(':')) throw malformedPolicy(`Resource ${resource} must be in ARN format or "*".`);
  if (!resource.startsWith('arn:'))
    throw malformedPolicy(`Resource ${resource} must be in ARN format or "*".`);
  const [, partition, service, region] = resource.split(':');
  if (partition !== 'aws' && partition !== '*') {
    throw malformedPolicy(`Partition "${partition}" is not valid for resource "${resource}".`);
  }
  if (service === 'iam' && region !== '' && region !== undefined) {
    throw malformedPolicy(`IAM resource ${resource} cannot contain region information.`);
  }
}

function isStringOrStrings(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** A string-or-list element as a list. */
export function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}
