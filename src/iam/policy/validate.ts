/**
 * Policy document validation with the MalformedPolicyDocument messages IAM answers, checked in
 * the order IAM checks them: syntax, version, legacy parsing, statement ids, actions, resources,
 * action prefixes, then what the policy's kind requires (an identity-based policy names no
 * principal and needs resources; a trust policy needs a principal and has no resource).
 */
import { ServiceError } from '../../core/errors.ts';
import { parseOperator } from './conditions.ts';
import { dateValue } from './conditions.ts';

/** What the document is for: it decides the checks after the common ones. */
export type PolicyKind = 'identity' | 'trust' | 'resource' | 'session';

const TOP = new Set(['Version', 'Id', 'Statement']);
const STATEMENT = new Set([
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

export const SYNTAX_ERROR = 'Syntax errors in policy.';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const stringOrStrings = (v: unknown) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => x === null || typeof x === 'string'));
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

/** The MalformedPolicyDocument message for `text`, or undefined when it is a valid policy of `kind`. */
export function policyDocumentError(text: string, kind: PolicyKind): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return SYNTAX_ERROR;
  }
  if (!isObject(doc)) return SYNTAX_ERROR;
  const statements = syntaxCheck(doc);
  if (!statements) return SYNTAX_ERROR;
  if ((kind === 'identity' || kind === 'trust' || kind === 'session') && doc.Version !== '2012-10-17')
    return 'Policy document must be version 2012-10-17 or greater.';
  if (!statements.every(legacyParses)) return 'The policy failed legacy parsing';
  const sids = statements.map((s) => s.Sid).filter((s): s is string => typeof s === 'string' && s !== '');
  if (new Set(sids).size !== sids.length) return 'Statement IDs (SID) in a single policy must be unique.';
  for (const s of statements) {
    const actions = s.Action ?? s.NotAction;
    if (actions === undefined || (Array.isArray(actions) && actions.length === 0))
      return 'Policy statement must contain actions.';
  }
  for (const s of statements) {
    for (const r of [...strings(s.Resource), ...strings(s.NotResource)]) {
      const error = resourceError(r);
      if (error) return error;
    }
  }
  for (const s of statements) {
    for (const a of [...strings(s.Action), ...strings(s.NotAction)]) {
      const error = actionError(a);
      if (error) return error;
    }
  }
  if (kind === 'identity' && sids.some((sid) => !/^[0-9A-Za-z]*$/.test(sid)))
    return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
  for (const s of statements) {
    const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
    const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
    if (kind === 'identity' || kind === 'session') {
      if (hasPrincipal) return 'Policy document should not specify a principal.';
      const resources = s.Resource ?? s.NotResource;
      if (!hasResource || (Array.isArray(resources) && resources.length === 0))
        return 'Policy statement must contain resources.';
    } else {
      if (kind === 'trust' && hasResource) return 'Has prohibited field Resource.';
      if (!hasPrincipal) return 'Missing required field Principal';
      const error = principalError(s.Principal ?? s.NotPrincipal);
      if (error) return error;
    }
  }
  return undefined;
}

/**
 * Throws IAM's MalformedPolicyDocument error (`code` for services that name it otherwise) when
 * `text` is not a valid policy of `kind`; returns the parsed document otherwise.
 */
export function validatePolicyDocument(
  text: string,
  kind: PolicyKind,
  code = 'MalformedPolicyDocument',
): Record<string, unknown> {
  const error = policyDocumentError(text, kind);
  if (error) throw new ServiceError(code, error);
  return JSON.parse(text) as Record<string, unknown>;
}

function syntaxCheck(doc: Record<string, unknown>): Record<string, unknown>[] | undefined {
  if (!Object.keys(doc).every((k) => TOP.has(k))) return undefined;
  if (doc.Version !== undefined && !VERSIONS.has(doc.Version as string)) return undefined;
  if (doc.Id !== undefined && typeof doc.Id !== 'string') return undefined;
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (!list || list.length === 0) return undefined;
  for (const s of list) {
    if (!isObject(s) || !Object.keys(s).every((k) => STATEMENT.has(k))) return undefined;
    if (s.Resource !== undefined && s.NotResource !== undefined) return undefined;
    if (s.Action !== undefined && s.NotAction !== undefined) return undefined;
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) return undefined;
    if (typeof s.Effect !== 'string' || !['allow', 'deny'].includes(s.Effect.toLowerCase())) return undefined;
    for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'])
      if (s[k] !== undefined && !stringOrStrings(s[k])) return undefined;
    if (s.Sid !== undefined && typeof s.Sid !== 'string') return undefined;
    if (s.Condition !== undefined && !conditionSyntax(s.Condition)) return undefined;
  }
  return list as Record<string, unknown>[];
}

function conditionSyntax(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) return false;
    for (const v of Object.values(block)) {
      const ok = typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || Array.isArray(v);
      if (!ok) return false;
    }
    if (!parseOperator(operator) && Object.keys(block).length > 0) return false;
  }
  return true;
}

/** Effect is case-sensitive here, and Date* condition values must be dates. */
function legacyParses(s: Record<string, unknown>): boolean {
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return false;
  for (const [operator, block] of Object.entries(
    (s.Condition ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (parseOperator(operator)?.spec.family !== 'Date') continue;
    for (const v of Object.values(block))
      for (const d of Array.isArray(v) ? v : [v]) if (Number.isNaN(dateValue(String(d)))) return false;
  }
  return true;
}

const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);

function resourceError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const parts = resource.split(':');
  if (parts.length < 2) return `Resource ${resource} must be in ARN format or "*".`;
  const partition = parts[1]!;
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    const [service = '*', region = '*', account = '*', ...rest] = parts.slice(2);
    const tail = rest.length > 0 ? rest.join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${service || '*'}:${region}:${account}:${tail}".`;
  }
  if (parts.length < 3) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  if (parts[2] === 'iam' && parts.length > 3 && parts[3] !== '')
    return `IAM resource ${resource} cannot contain region information.`;
  return undefined;
}

function actionError(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && parts[0] !== '*')
    return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (parts.length > 2) return 'Actions/Condition can contain only one colon.';
  if (parts[0] !== '*' && /[^a-zA-Z0-9\-.]/.test(parts[0]!)) return `Vendor ${parts[0]} is not valid`;
  return undefined;
}

function principalError(element: unknown): string | undefined {
  if (element === '*') return undefined;
  if (!isObject(element)) return SYNTAX_ERROR;
  for (const [type, value] of Object.entries(element)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) return SYNTAX_ERROR;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') return SYNTAX_ERROR;
      if (type === 'AWS' && v !== '*' && !/^\d{12}$/.test(v) && !/^arn:[\w-]+:(iam|sts)::\d{12}:\S+$/.test(v))
        return `Invalid principal in policy: "AWS":"${v}"`;
    }
  }
  return undefined;
}
