/** Checks a repository policy as ECR does before storing it: an IAM policy document with principals. */
import { invalidParameter } from '../model/repositories.ts';

/** ECR's limit on a repository policy's text. */
export const MAX_POLICY_LENGTH = 10_240;

const invalid = () => invalidParameter('PolicyText', 'Invalid repository policy provided');

/**
 * A JSON object whose `Statement` (one or a list) has `Effect` Allow or Deny, a `Principal` (or
 * `NotPrincipal`) and an `Action` (or `NotAction`); `Version` when present is 2012-10-17 or
 * 2008-10-17. Resource is optional (it is the repository). Anything else is ECR's
 * "Invalid repository policy provided".
 */
export function checkRepositoryPolicy(text: string): void {
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
    if (!isActions(s.Action ?? s.NotAction)) throw invalid();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isActions(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0;
  return Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' && a.length > 0);
}
