/**
 * A task's roles at the steps that need them: provisioning waits until the control plane has sent
 * the credentials of every role the task names (or says why a role cannot be assumed, which stops
 * the task with ECS's text); pulls and `secrets` use the execution role's session when the task has
 * one, else the agent's own credentials (an EC2 instance role's part on ECS).
 */
import { RoleType } from '../../core/agent-protocol.ts';
import type { SigningCredentials } from '../../core/sign-request.ts';
import { taskRoleTypes } from '../task-credentials.ts';
import { SECRETS_FAILURE } from './container-secrets.ts';
import type { EngineContext } from './engine-context.ts';
import { resourceInitializationError } from './reasons.ts';
import type { TaskState } from './task-state.ts';

/** How long a task waits for its role credentials (they follow the assignment within milliseconds). */
export const ROLE_CREDENTIALS_WAIT_MS = 60_000;

/** Undefined when the task's roles are ready (or it has none); else why the task cannot start. */
export async function awaitTaskRoles(
  ctx: EngineContext,
  task: Readonly<TaskState>,
): Promise<string | undefined> {
  const roles = taskRoleTypes(task.assignment);
  if (roles.length === 0) return undefined;
  const answer = await ctx.roles.waitFor(task.assignment.taskArn, roles, ROLE_CREDENTIALS_WAIT_MS);
  if (answer.ok) return undefined;
  // ECS's own text for a role it cannot assume; a wait that timed out is a resource error.
  return answer.reason.startsWith('ECS was unable')
    ? answer.reason
    : resourceInitializationError(answer.reason);
}

/** The execution role's session for signing, when the task has one and it arrived. */
export function executionCredentials(
  ctx: EngineContext,
  task: Readonly<TaskState>,
): SigningCredentials | undefined {
  const c = ctx.roles.get(task.assignment.taskArn, RoleType.TaskExecution);
  return c
    ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken }
    : undefined;
}

/**
 * ECS's text when the execution role cannot get an ECR password (GetAuthorizationToken refused):
 * `ResourceInitializationError: unable to pull secrets or registry auth: execution resource
 * retrieval failed: unable to retrieve ecr registry auth: service call has been retried 1 time(s):
 * AccessDeniedException: User: ... is not authorized to perform: ecr:GetAuthorizationToken ...`.
 */
export function ecrAuthFailure(error: unknown): string {
  const detail = (error instanceof Error ? error.message : String(error)).replace(
    /^GetAuthorizationToken failed: /,
    '',
  );
  const [type = '', ...rest] = detail.split(' ');
  const text = rest.length > 0 && /^[A-Za-z]+$/.test(type) ? `${type}: ${rest.join(' ')}` : detail;
  return `${SECRETS_FAILURE}: unable to retrieve ecr registry auth: service call has been retried 1 time(s): ${text}`;
}
