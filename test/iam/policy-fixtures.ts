/** Principals and a one-call evaluator for the policy tests (policy documents built inline). */
import type { NamedPolicy, PolicyDocument, Principal } from '../../src/iam/model/principal.ts';
import { addGlobalKeys, type ContextValue, conditionContext } from '../../src/iam/policy/context.ts';
import { compilePolicy } from '../../src/iam/policy/document.ts';
import { type Decision, evaluate } from '../../src/iam/policy/evaluate.ts';

export const ACCOUNT = '111122223333';

export const user = (userName: string, accountId = ACCOUNT): Principal => ({
  type: 'user',
  accountId,
  arn: `arn:aws:iam::${accountId}:user/${userName}`,
  userId: `AIDA${userName.toUpperCase().padEnd(17, 'X')}`,
  userName,
  path: '/',
});

export const session = (roleName: string, sessionName: string, accountId = ACCOUNT): Principal => ({
  type: 'assumed-role',
  accountId,
  arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
  userId: `AROAEXAMPLEROLEID:${sessionName}`,
  roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
  roleName,
  sessionName,
});

export const root: Principal = {
  type: 'root',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  userId: ACCOUNT,
};

export const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});
export const named = (source: string, document: PolicyDocument): NamedPolicy => ({ source, document });

export interface Case {
  principal?: Principal;
  action: string;
  resource: string;
  context?: Record<string, ContextValue>;
  identity?: PolicyDocument[];
  boundary?: PolicyDocument;
  session?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  resourceAccount?: string;
  tags?: Record<string, string>;
  /** Epoch ms; default 2024-06-01T12:00:00Z. */
  now?: number;
}

export const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

/** Evaluates one case with the global keys filled in as the gateway would. */
export function decide(c: Case): Decision {
  const principal = c.principal ?? user('alice');
  const context = addGlobalKeys(conditionContext(c.context ?? {}), {
    principal,
    principalTags: c.tags,
    now: c.now ?? NOW,
    region: 'us-east-1',
  });
  for (const [k, v] of Object.entries(c.context ?? {})) context.set(k.toLowerCase(), v);
  return evaluate({
    request: { principal, action: c.action, resource: c.resource, context },
    policies: {
      identity: (c.identity ?? []).map((d, i) => compilePolicy(named(`policy-${i}`, d), 'identity')),
      ...(c.boundary ? { boundary: compilePolicy(named('boundary', c.boundary), 'boundary') } : {}),
      ...(c.session
        ? { session: c.session.map((d, i) => compilePolicy(named(`session-${i}`, d), 'session')) }
        : {}),
    },
    ...(c.resourcePolicy
      ? { resourcePolicy: compilePolicy(named('resource', c.resourcePolicy), 'resource') }
      : {}),
    ...(c.resourceAccount ? { resourceAccount: c.resourceAccount } : {}),
  });
}

/** `allowed`, `explicitDeny:<type>` or `implicitDeny:<missing>`: what tables compare. */
export function outcome(c: Case): string {
  const d = decide(c);
  if (d.type === 'allowed') return 'allowed';
  return d.type === 'explicitDeny' ? `explicitDeny:${d.policyType}` : `implicitDeny:${d.missing}`;
}
