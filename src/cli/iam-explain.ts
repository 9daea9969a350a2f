/**
 * "Why was this denied": the decision for one access key, action and resource, as the gateway's
 * authorizer would make it, with the statements that decided. Reads the data directory's store
 * (IAM records are global; resource policies are read in the request's region).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Authorizer } from '../aws/authorize.ts';
import { resourceFacts } from '../aws/authorization/resource-facts.ts';
import type { ResourceRef } from '../aws/authorization/types.ts';
import { policySetFor } from '../iam/model/policy-set.ts';
import type { Principal } from '../iam/model/principal.ts';
import type { ContextValue } from '../iam/policy/context.ts';
import type { Decision } from '../iam/policy/evaluate.ts';
import { regionView } from '../store/region-view.ts';
import { Kind, type Store } from '../store/store.ts';
import { HOME_REGION_KEY } from './regions.ts';

export interface ExplainRequest {
  accessKeyId: string;
  action: string;
  resource: string;
  region: string;
  context: Record<string, ContextValue>;
  now: number;
}

export interface Explanation {
  principal: Principal;
  action: string;
  resource: string;
  decision: Decision;
}

/** The principal behind an access key: the installation's key (root), an IAM user's key or an STS session. */
export async function principalForKey(
  store: Store,
  accessKeyId: string,
  root: { accessKeyId: string; accountId: string } | undefined,
): Promise<Principal | undefined> {
  if (root && accessKeyId === root.accessKeyId)
    return {
      type: 'root',
      accountId: root.accountId,
      arn: `arn:aws:iam::${root.accountId}:root`,
      userId: root.accountId,
    };
  const session = await store.get<{ principal: Principal }>(Kind.StsSession, accessKeyId);
  if (session) return { ...session.value.principal, sessionKeyId: accessKeyId };
  const key = await store.get<{ userName: string }>(Kind.IamAccessKey, accessKeyId);
  if (!key) return undefined;
  const user = await store.get<{ arn: string; userId: string; userName: string; path: string }>(
    Kind.IamUser,
    key.value.userName.toLowerCase(),
  );
  if (!user) return undefined;
  const accountId = user.value.arn.split(':')[4] ?? '';
  return {
    type: 'user',
    accountId,
    arn: user.value.arn,
    userId: user.value.userId,
    userName: user.value.userName,
    path: user.value.path,
  };
}

/** The resource a bare ARN names when it is one whose policy the authorizer reads. */
function refOf(arn: string): ResourceRef | undefined {
  const m = /^arn:[\w-]+:(ecr|secretsmanager|events):[^:]*:\d*:(.*)$/.exec(arn);
  if (!m) return undefined;
  const [, service, rest] = m as unknown as [string, string, string];
  if (service === 'ecr' && rest.startsWith('repository/'))
    return { type: 'ecr-repository', id: rest.slice(11) };
  if (service === 'secretsmanager' && rest.startsWith('secret:')) return { type: 'secret', id: arn };
  if (service === 'events' && rest.startsWith('event-bus/')) return { type: 'event-bus', id: rest.slice(10) };
  return undefined;
}

export async function explain(
  store: Store,
  root: { accessKeyId: string; accountId: string } | undefined,
  request: ExplainRequest,
): Promise<Explanation> {
  const principal = await principalForKey(store, request.accessKeyId, root);
  if (!principal)
    throw new Error(`no IAM user, session or installation key has the access key ${request.accessKeyId}`);
  const home =
    (await store.get<{ region: string }>(Kind.Meta, HOME_REGION_KEY))?.value.region ?? request.region;
  const authorizer = new Authorizer({
    enabled: true,
    policySetFor: (p) => policySetFor(store, p),
    resourceFacts: (region, ref) => resourceFacts(regionView(store, region, home), ref),
  });
  const ref = refOf(request.resource);
  const [first] = await authorizer.decide(
    principal,
    {
      action: request.action,
      resources: [{ arn: request.resource, ...(ref ? { ref } : {}) }],
      context: request.context,
    },
    { region: request.region, now: request.now },
  );
  return { principal, action: request.action, resource: first!.resource, decision: first!.decision };
}

/** The installation's key and account, from the data directory (undefined when it has none). */
export function installationKey(
  dataDir: string,
  accountId: string,
  env: NodeJS.ProcessEnv,
): { accessKeyId: string; accountId: string } | undefined {
  if (env.LONGSHORE_ACCESS_KEY_ID) return { accessKeyId: env.LONGSHORE_ACCESS_KEY_ID, accountId };
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
      accessKeyId: string;
    };
    return { accessKeyId: saved.accessKeyId, accountId };
  } catch {
    return undefined;
  }
}

/** The explanation as text: the decision, AWS's message when denied, and each deciding statement. */
export function formatExplanation(e: Explanation): string {
  const lines: string[] = [];
  const d = e.decision;
  lines.push(`principal: ${e.principal.arn}`);
  lines.push(`action:    ${e.action}`);
  lines.push(`resource:  ${e.resource}`);
  if (d.type === 'allowed') {
    lines.push(
      d.root ? 'decision:  ALLOWED (root: the account root is allowed everything)' : 'decision:  ALLOWED',
    );
  } else if (d.type === 'explicitDeny') {
    lines.push(
      `decision:  DENIED: explicit deny in ${d.policyType === 'identity' ? 'an identity-based policy' : `a ${d.policyType} policy`}`,
    );
  } else {
    const what = {
      identity: 'identity-based policy',
      boundary: 'permissions boundary',
      session: 'session policy',
      resource: 'resource-based policy',
    }[d.missing];
    lines.push(`decision:  DENIED: no ${what} allows ${e.action}`);
  }
  if (d.statements.length > 0) {
    lines.push(
      d.type === 'explicitDeny'
        ? 'denied by:'
        : d.type === 'allowed'
          ? 'allowed by:'
          : 'allowed only by (not enough):',
    );
    for (const s of d.statements) {
      lines.push(
        `  ${s.policyType} ${s.source} statement ${s.index + 1}${s.sid ? ` (${s.sid})` : ''}: ${s.effect}`,
      );
      lines.push(`    ${JSON.stringify(s.statement)}`);
    }
  }
  return lines.join('\n');
}
