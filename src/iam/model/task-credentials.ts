/**
 * Task role and execution role credentials, as ECS makes them: an STS session of the role assumed
 * by the service principal `ecs-tasks.amazonaws.com` (the role's trust policy must allow it), named
 * after the task id, refreshed at half its lifetime. The control plane issues them and sends them
 * to the agent over the control channel (src/channel/task-credentials.ts); the agent serves them
 * at `/v2/credentials/<credentialsId>`.
 */
import { createHmac } from 'node:crypto';
import { Kind } from '../../store/store.ts';
import type { Principal } from './principal.ts';
import { type IamContext, nameKey, type RoleRecord } from './records.ts';
import { createSession } from './sessions.ts';
import { trustAllows } from './trust.ts';

/** The service principal ECS assumes task and execution roles as. */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
/** ECS's task credentials live six hours. */
export const TASK_CREDENTIALS_SECONDS = 6 * 60 * 60;
/** STS's shortest session. */
export const MIN_TASK_CREDENTIALS_SECONDS = 900;

export interface TaskRoleRequest {
  roleArn: string;
  taskArn: string;
  /** Session lifetime; default TASK_CREDENTIALS_SECONDS. */
  durationSeconds?: number;
}

export type TaskRoleResult =
  | {
      ok: true;
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken: string;
      /** Epoch ms. */
      issuedAt: number;
      expiresAt: number;
    }
  /** ECS's text for a role it cannot assume (the task stops with it). */
  | { ok: false; error: string };

/** ECS's words when a task's role does not exist or does not trust ecs-tasks.amazonaws.com. */
export function unableToAssume(roleArn: string): string {
  return `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;
}

/**
 * Assumes `roleArn` for the task, as `ecs-tasks.amazonaws.com`. The trust policy is evaluated
 * with aws:SourceAccount (this account) and aws:SourceArn (the task's ARN), the keys ECS's
 * confused-deputy guidance puts in trust policies.
 */
export async function issueTaskRoleCredentials(
  ctx: IamContext,
  request: TaskRoleRequest,
): Promise<TaskRoleResult> {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(request.roleArn);
  const role =
    m && m[1] === ctx.accountId
      ? (await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(m[2]!)))?.value
      : undefined;
  if (!role || role.arn !== request.roleArn) return { ok: false, error: unableToAssume(request.roleArn) };
  const trust = JSON.parse(role.assumeRolePolicyDocument) as Record<string, unknown>;
  const trusted = trustAllows(trust, {
    caller: { type: 'service', service: ECS_TASKS_PRINCIPAL },
    action: 'sts:AssumeRole',
    context: { 'aws:SourceAccount': ctx.accountId, 'aws:SourceArn': request.taskArn },
  });
  if (!trusted) return { ok: false, error: unableToAssume(request.roleArn) };
  const sessionName = taskIdOf(request.taskArn);
  const principal: Principal = {
    type: 'assumed-role',
    accountId: ctx.accountId,
    arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.arn,
    roleName: role.roleName,
    sessionName,
  };
  const issuedAt = ctx.clock.now();
  const issued = await createSession(ctx, {
    principal,
    durationSeconds: Math.max(
      MIN_TASK_CREDENTIALS_SECONDS,
      request.durationSeconds ?? TASK_CREDENTIALS_SECONDS,
    ),
  });
  return {
    ok: true,
    accessKeyId: issued.accessKeyId,
    secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken,
    issuedAt,
    expiresAt: issued.expiresAt,
  };
}

/**
 * When credentials issued at `issuedAt` and expiring at `expiresAt` are replaced: at half their
 * lifetime, so the agent always holds credentials with at least half their life left (6 h
 * sessions: replaced after 3 h; SDKs refresh theirs when 5 to 15 minutes remain).
 * Example: issued at 0, expiring at 21,600,000 (6 h) -> refreshed at 10,800,000 (3 h).
 */
export function refreshAt(issuedAt: number, expiresAt: number): number {
  return issuedAt + Math.floor((expiresAt - issuedAt) / 2);
}

/**
 * The id a task's credentials of one role are served under (`/v2/credentials/<id>`): a UUID-shaped
 * HMAC of the task and role under the installation's key, so it is unguessable, the same on every
 * control-plane replica, and the same for every refresh (containers keep the URI they started with).
 */
export function credentialsIdFor(key: string, taskArn: string, roleType: string): string {
  const h = createHmac('sha256', key).update(`task-credentials:${roleType}:${taskArn}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/**
 * The issuer the agent channel uses (src/channel/task-credentials.ts). Ids are keyed by a value
 * derived from the installation's secret; `LONGSHORE_TASK_CREDENTIALS_SECONDS` shortens sessions
 * (at least 900) to watch refreshes happen.
 */
export function taskRoleIssuer(ctx: IamContext, installationSecret: string) {
  const idKey = createHmac('sha256', installationSecret)
    .update('longshore-task-credentials-id')
    .digest('hex');
  const seconds = Number(process.env.LONGSHORE_TASK_CREDENTIALS_SECONDS) || undefined;
  return {
    issue: (request: { roleArn: string; taskArn: string }) =>
      issueTaskRoleCredentials(ctx, { ...request, ...(seconds ? { durationSeconds: seconds } : {}) }),
    credentialsId: (taskArn: string, roleType: string) => credentialsIdFor(idKey, taskArn, roleType),
    refreshAt,
  };
}
