/**
 * Policy documents compiled for evaluation: each statement's Action/NotAction (case-insensitive
 * wildcards), Resource/NotResource (case-sensitive, ARN-part-wise, policy variables),
 * Principal/NotPrincipal and Condition, built once per document and reused for every request.
 */
import type { NamedPolicy, PolicyDocument } from '../model/principal.ts';
import { type CompiledCondition, compileCondition } from './conditions.ts';
import type { ConditionContext } from './context.ts';
import { compilePrincipal, type PrincipalSpec } from './principal-match.ts';
import { hasVariable, substitute } from './variables.ts';
import { arnMatcher, type Matcher, wildcard } from './wildcard.ts';

/** Which kind of policy a statement belongs to (evaluate.ts treats each its own way). */
export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session';

/** A statement ready to be matched against requests. */
export interface CompiledStatement {
  /** The policy it belongs to (`NamedPolicy.source`). */
  source: string;
  policyType: PolicyType;
  /** Position in the policy's Statement list (0-based). */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The statement as written, for explanations. */
  statement: Record<string, unknown>;
  matchesAction(action: string): boolean;
  matchesResource(resource: string, context: ConditionContext): boolean;
  /** Present in resource-based policies: how the statement names the caller. */
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  condition?: CompiledCondition;
}

export interface CompiledPolicy {
  source: string;
  policyType: PolicyType;
  statements: CompiledStatement[];
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );

/** The statements of a document (a single object counts as a list of one). */
export function statementsOf(document: PolicyDocument): Record<string, unknown>[] {
  const s = document.Statement;
  const all = Array.isArray(s) ? s : s === undefined ? [] : [s];
  return all.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

/** A document given as text or already parsed; text that is not a JSON object compiles to no statements. */
export function parseDocument(document: PolicyDocument | string): PolicyDocument {
  if (typeof document !== 'string') return document;
  try {
    const parsed: unknown = JSON.parse(document);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as PolicyDocument)
      : {};
  } catch {
    return {};
  }
}

/** Compiles one policy. A statement that cannot be compiled (unknown operator) never matches. */
export function compilePolicy(policy: NamedPolicy, policyType: PolicyType): CompiledPolicy {
  const document = parseDocument(policy.document as PolicyDocument | string);
  const variables = document.Version === '2012-10-17';
  const statements: CompiledStatement[] = [];
  statementsOf(document).forEach((st, index) => {
    const effect = st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : undefined;
    if (!effect) return;
    let condition: CompiledCondition | undefined;
    try {
      condition =
        typeof st.Condition === 'object' && st.Condition !== null
          ? compileCondition(st.Condition as Record<string, unknown>, variables)
          : undefined;
    } catch {
      return;
    }
    const actions = anyOf(list(st.Action), true);
    const notActions = anyOf(list(st.NotAction), true);
    const resources = resourceMatcher(list(st.Resource), variables);
    const notResources = resourceMatcher(list(st.NotResource), variables);
    statements.push({
      source: policy.source,
      policyType,
      index,
      ...(typeof st.Sid === 'string' && st.Sid !== '' ? { sid: st.Sid } : {}),
      effect,
      statement: st,
      matchesAction:
        st.Action !== undefined ? actions : st.NotAction !== undefined ? (a) => !notActions(a) : () => false,
      matchesResource:
        st.Resource !== undefined
          ? resources
          : st.NotResource !== undefined
            ? (r, c) => !notResources(r, c)
            : // Trust and resource-based policies may leave Resource out: the resource is the policy's own.
              () => policyType === 'resource',
      ...(st.Principal !== undefined ? { principal: compilePrincipal(st.Principal) } : {}),
      ...(st.NotPrincipal !== undefined ? { notPrincipal: compilePrincipal(st.NotPrincipal) } : {}),
      ...(condition ? { condition } : {}),
    });
  });
  return { source: policy.source, policyType, statements };
}

function anyOf(patterns: string[], ignoreCase: boolean): Matcher {
  const matchers = patterns.map((p) => wildcard(p, ignoreCase));
  if (matchers.length === 1) return matchers[0]!;
  return (value) => matchers.some((m) => m(value));
}

/** Resource patterns; ones with policy variables are compiled per request (and cached by result). */
function resourceMatcher(
  patterns: string[],
  variables: boolean,
): (resource: string, context: ConditionContext) => boolean {
  const fixed: Matcher[] = [];
  const dynamic: string[] = [];
  for (const p of patterns) {
    if (variables && hasVariable(p)) dynamic.push(p);
    else fixed.push(arnMatcher(p));
  }
  if (dynamic.length === 0) {
    if (fixed.length === 1) {
      const only = fixed[0]!;
      return (resource) => only(resource);
    }
    return (resource) => fixed.some((m) => m(resource));
  }
  const cache = new Map<string, Matcher>();
  return (resource, context) => {
    if (fixed.some((m) => m(resource))) return true;
    for (const p of dynamic) {
      const text = substitute(p, context);
      if (text === undefined) continue;
      let m = cache.get(text);
      if (!m) {
        m = arnMatcher(text);
        if (cache.size < 256) cache.set(text, m);
      }
      if (m(resource)) return true;
    }
    return false;
  };
}
