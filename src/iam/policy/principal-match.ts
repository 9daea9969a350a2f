/**
 * The Principal and NotPrincipal elements of resource-based policies: who a statement speaks
 * for, and how it names the caller (which decides whether a permissions boundary or session
 * policy still limits the grant: see evaluate.ts).
 */
import type { Principal } from '../model/principal.ts';
import { wildcard } from './wildcard.ts';

/**
 * How a statement's principal names the caller:
 * - `any`: `"*"` / `{"AWS": "*"}`;
 * - `account`: the caller's account (`123456789012` or `arn:aws:iam::123456789012:root`), which
 *   only delegates to the account's own IAM policies;
 * - `identity`: the user's ARN, or the role session's ARN;
 * - `role`: the role a session belongs to.
 */
export type PrincipalMatch = 'any' | 'account' | 'identity' | 'role';

/** A compiled Principal element: how it names `principal`, or undefined when it does not. */
export type PrincipalSpec = (principal: Principal) => PrincipalMatch | undefined;

/** The AWS principal entries of a Principal element (`"*"`, `{"AWS": [...]}`); other kinds (Service, Federated) never name a caller here. */
function awsEntries(element: unknown): string[] {
  if (element === '*') return ['*'];
  if (typeof element !== 'object' || element === null) return [];
  const aws = (element as Record<string, unknown>).AWS;
  const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  return list.filter((v): v is string => typeof v === 'string');
}

const ACCOUNT_ROOT = /^arn:[\w-]+:iam::(\d{12}):root$/;

export function compilePrincipal(element: unknown): PrincipalSpec {
  const entries = awsEntries(element);
  const tests = entries.map((entry): PrincipalSpec => {
    if (entry === '*') return () => 'any';
    const account = /^\d{12}$/.test(entry) ? entry : ACCOUNT_ROOT.exec(entry)?.[1];
    if (account) return (p) => (p.accountId === account ? 'account' : undefined);
    // IAM rejects wildcards in principal ARNs, except `*` alone; a stored one matches nothing more.
    const same = wildcard(entry);
    return (p) => {
      if (same(p.arn)) return 'identity';
      if (p.type === 'assumed-role' && same(p.roleArn)) return 'role';
      return undefined;
    };
  });
  const rank: Record<PrincipalMatch, number> = { identity: 3, role: 2, any: 1, account: 0 };
  return (principal) => {
    let best: PrincipalMatch | undefined;
    for (const t of tests) {
      const m = t(principal);
      if (m && (!best || rank[m] > rank[best])) best = m;
    }
    return best;
  };
}
