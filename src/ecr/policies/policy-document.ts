/**
 * Checks a repository or registry policy as ECR does before storing it: an IAM policy document with
 * principals (SetRepositoryPolicy, PutRegistryPolicy).
 */
import { invalidParameter } from '../model/repositories.ts';

/** ECR's limit on a repository or registry policy's text. */
export const MAX_POLICY_LENGTH = 10_240;

/**
 * A JSON object whose `Statement` (one or a list) has `Effect` Allow or Deny, a `Principal` (or
 * `NotPrincipal`) and an `Action` (or `NotAction`); `Version` when present is 2012-10-17 or
 * 2008-10-17. Resource is optional (it is the repository). Anything else is ECR's
 * "Invalid repository policy provided".
 */
export function checkRepositoryPolicy(text: string): void {
  checkPolicyDocument(text, 'repository');
}

/**
 * The check both policies share; `what` words ECR's refusal ("Invalid registry policy provided").
 * `allowAction`, when given, must accept every action the statements name (the registry policy's
 * V1 scope allows only the replication and pull through cache actions).
 */
export function checkPolicyDocument(
  text: string,
  what: 'repository' | 'registry',
  allowAction?: (action: string) => boolean,
): void {
  const invalid = () => invalidParameter('PolicyText', `Invalid ${what} policy provided`);
  if (text.length > MAX_POLICY_LENGTH) {
    throw invalidParameter(
      'policyText',
      `Member must have length less than or equal to ${MAX_POLICY_LENGTH}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (!isObject(doc)) throw invalid();
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17')
    throw invalid();
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement
    : doc.Statement === undefined
      ? []
      : [doc.Statement];
  if (statements.length === 0) throw invalid();
  for (const s of statements) {
    if (!isObject(s)) throw invalid();
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw invalid();
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw invalid();
    const actions = s.Action ?? s.NotAction;
    if (!isActions(actions)) throw invalid();
    if (allowAction && !(typeof actions === 'string' ? [actions] : actions).every(allowAction))
      throw invalid();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isActions(v: unknown): v is string | string[] {
  if (typeof v === 'string') return v.length > 0;
  return Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' && a.length > 0);
}
