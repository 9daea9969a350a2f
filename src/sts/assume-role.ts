/**
 * AssumeRole: temporary credentials for a role whose trust policy names the caller. Checked in
 * STS's order: input, the role (a missing role and a trust policy that does not name the caller
 * both answer AccessDenied, so roles cannot be probed), DurationSeconds against the role's
 * MaxSessionDuration (one hour when chaining from another role session), then the session policy.
 * Tags need `sts:TagSession` in the trust policy and SourceIdentity `sts:SetSourceIdentity`, as in
 * AWS; transitive tags of the caller's session carry over to the new one.
 *
 * Root may assume roles here (AWS refuses root credentials): Longshore's installation key is its
 * administrator key, and it is how tools bootstrap (docs/differences.md).
 */
import { ProtocolError } from '../aws/errors.ts';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { validatePolicyDocument } from '../iam/model/policy-document.ts';
import type { Principal } from '../iam/model/principal.ts';
import { nameKey, type RoleRecord, type SessionRecord } from '../iam/model/records.ts';
import { createSession } from '../iam/model/sessions.ts';
import { principalContext, trustAllows } from '../iam/model/trust.ts';
import { credentialsOut, durationSeconds, stsValidation } from './session-input.ts';
import type { StsContext } from './sts-context.ts';

/** STS's limit on the packed session policies and tags (the inline policy's characters here). */
const PACKED_POLICY_CHARS = 2048;
const MAX_SESSION_TAGS = 50;
/** Role chaining caps the session at one hour. */
const CHAINED_MAX_SECONDS = 3600;

interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  PolicyArns?: { arn?: string }[];
  Policy?: string;
  DurationSeconds?: number;
  Tags?: { Key: string; Value: string }[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SourceIdentity?: string;
}

export async function assumeRole(ctx: StsContext, input: AssumeRoleInput, request: RequestContext) {
  checkInput(input);
  const caller: Principal = request.caller.principal ?? {
    type: 'root',
    accountId: ctx.accountId,
    arn: `arn:aws:iam::${ctx.accountId}:root`,
    userId: ctx.accountId,
  };
  const denied = () =>
    new ProtocolError(
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      403,
    );
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(input.RoleArn);
  if (!m || m[1] !== ctx.accountId) throw denied();
  const role = (await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(m[2]!)))?.value;
  if (!role || role.arn !== input.RoleArn) throw denied();

  const callerSession = caller.sessionKeyId
    ? (await ctx.store.get<SessionRecord>(Kind.StsSession, caller.sessionKeyId))?.value
    : undefined;
  const inherited = transitiveTags(callerSession);
  const requestTags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
  const context: Record<string, string | string[]> = {
    ...principalContext(caller),
    'sts:RoleSessionName': input.RoleSessionName,
    ...(input.ExternalId !== undefined ? { 'sts:ExternalId': input.ExternalId } : {}),
    ...(input.SourceIdentity !== undefined ? { 'sts:SourceIdentity': input.SourceIdentity } : {}),
    ...Object.fromEntries(Object.entries(requestTags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    ...(input.Tags ? { 'aws:TagKeys': input.Tags.map((t) => t.Key) } : {}),
  };
  const trust = JSON.parse(role.assumeRolePolicyDocument) as Record<string, unknown>;
  const allows = (action: string) =>
    trustAllows(trust, { caller: { type: 'principal', principal: caller }, action, context });
  if (!allows('sts:AssumeRole')) throw denied();
  if ((input.Tags ?? []).length > 0 || Object.keys(inherited).length > 0) {
    if (!allows('sts:TagSession')) {
      throw new ProtocolError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:TagSession on resource: ${input.RoleArn}`,
        403,
      );
    }
  }
  if (input.SourceIdentity !== undefined && !allows('sts:SetSourceIdentity')) {
    throw new ProtocolError(
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${input.RoleArn}`,
      403,
    );
  }

  const chained = caller.type === 'assumed-role';
  const max = chained ? CHAINED_MAX_SECONDS : role.maxSessionDuration;
  const seconds = durationSeconds(input.DurationSeconds, 900, 43_200, 3600);
  if (seconds > max) {
    throw stsValidation(
      'durationSeconds',
      String(seconds),
      chained
        ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
        : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  let packed = 0;
  if (input.Policy !== undefined) {
    validatePolicyDocument(input.Policy, 'identity');
    const size = input.Policy.replace(/\s/g, '').length;
    packed = Math.ceil((size / PACKED_POLICY_CHARS) * 100);
    if (packed > 100) {
      throw new ServiceError(
        'PackedPolicyTooLargeException',
        `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`,
      );
    }
  }

  const sessionName = input.RoleSessionName;
  const principal: Principal = {
    type: 'assumed-role',
    accountId: ctx.accountId,
    arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.arn,
    roleName: role.roleName,
    sessionName,
  };
  const tags = { ...inherited, ...requestTags };
  const transitive = [
    ...new Set([...(callerSession?.transitiveTagKeys ?? []), ...(input.TransitiveTagKeys ?? [])]),
  ];
  const issued = await createSession(ctx, {
    principal,
    durationSeconds: seconds,
    sourceAccessKeyId: request.caller.accessKeyId,
    ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
    policyArns: (input.PolicyArns ?? []).map((p) => p.arn ?? ''),
    tags,
    transitiveTagKeys: transitive,
    ...(input.SourceIdentity !== undefined
      ? { sourceIdentity: input.SourceIdentity }
      : callerSession?.sourceIdentity !== undefined
        ? { sourceIdentity: callerSession.sourceIdentity }
        : {}),
  });
  await noteRoleUse(ctx, role, request.caller.region);
  return {
    Credentials: credentialsOut(issued),
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    PackedPolicySize: packed,
    ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
  };
}

function checkInput(input: AssumeRoleInput): void {
  const name = input.RoleSessionName;
  if (name.length < 2 || name.length > 64) {
    throw stsValidation('roleSessionName', name, 'Member must have length greater than or equal to 2');
  }
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw stsValidation(
      'roleSessionName',
      name,
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  if (input.RoleArn.length < 20) {
    throw stsValidation('roleArn', input.RoleArn, 'Member must have length greater than or equal to 20');
  }
  if (input.ExternalId !== undefined && (input.ExternalId.length < 2 || input.ExternalId.length > 1224)) {
    throw stsValidation('externalId', input.ExternalId, 'Member must have length greater than or equal to 2');
  }
  if ((input.Tags ?? []).length > MAX_SESSION_TAGS) {
    throw stsValidation('tags', '[...]', `Member must have length less than or equal to ${MAX_SESSION_TAGS}`);
  }
  for (const t of input.Tags ?? []) {
    if (t.Key.length < 1 || t.Key.length > 128) {
      throw stsValidation('tags.member.key', t.Key, 'Member must have length less than or equal to 128');
    }
    if (t.Value.length > 256) {
      throw stsValidation('tags.member.value', t.Value, 'Member must have length less than or equal to 256');
    }
  }
  for (const p of input.PolicyArns ?? []) {
    if (!p.arn || p.arn.length < 20 || !p.arn.startsWith('arn:')) {
      throw stsValidation(
        'policyArns.member.arn',
        p.arn ?? '',
        'Member must have length greater than or equal to 20',
      );
    }
  }
  if (input.SourceIdentity !== undefined && !/^[\w+=,.@-]{2,64}$/.test(input.SourceIdentity)) {
    throw stsValidation(
      'sourceIdentity',
      input.SourceIdentity,
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
}

/** Tags of the caller's session marked transitive. */
function transitiveTags(session: SessionRecord | undefined): Record<string, string> {
  if (!session?.tags || !session.transitiveTagKeys) return {};
  const keys = new Set(session.transitiveTagKeys.map((k) => k.toLowerCase()));
  return Object.fromEntries(Object.entries(session.tags).filter(([k]) => keys.has(k.toLowerCase())));
}

/** RoleLastUsed: one write per AssumeRole, which writes a session anyway. */
async function noteRoleUse(ctx: StsContext, role: RoleRecord, region: string): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const current = await tx.get<RoleRecord>(Kind.IamRole, nameKey(role.roleName));
    if (!current || current.value.roleId !== role.roleId) return;
    await tx.put(
      Kind.IamRole,
      current.key,
      { ...current.value, lastUsed: { date: ctx.clock.now(), region } },
      current.version,
    );
  });
}
