/**
 * The agent's task role and execution role credentials (the ECS agent's credentials manager): what
 * the control plane sent over the channel, in memory only (never persisted, never logged; a
 * restarted agent gets them again on connect). Task role credentials are served to the task's own
 * containers at `/v2/credentials/<credentialsId>`; execution role credentials are used by the agent
 * (ECR pulls, secrets, awslogs) and never given to a container.
 */
import { RoleType, type TaskCredentialsMessage } from '../core/agent-protocol.ts';
import type { Timers } from '../core/timers.ts';

/** A role's session, as the agent signs with it. */
export interface RoleCredentials {
  roleArn: string;
  credentialsId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
}

type Entry = { taskArn: string; roleType: RoleType; roleArn: string; credentialsId: string } & (
  | { credentials: RoleCredentials; error?: undefined }
  | { credentials?: undefined; error: string }
);

/** What waiting for a task's credentials ended with. */
export type CredentialsWait = { ok: true } | { ok: false; reason: string };

export class TaskCredentialsStore {
  /** By `taskArn|roleType`. */
  readonly #byTask = new Map<string, Entry>();
  /** Task role entries by credentials id (the only ids a container may ask for). */
  readonly #byId = new Map<string, Entry>();
  readonly #waiters = new Set<() => void>();

  /** Records what the control plane sent (a refresh replaces the previous credentials). */
  set(message: TaskCredentialsMessage): void {
    const base = {
      taskArn: message.taskArn,
      roleType: message.roleType,
      roleArn: message.roleArn,
      credentialsId: message.credentialsId,
    };
    const entry: Entry = message.credentials
      ? {
          ...base,
          credentials: {
            ...message.credentials,
            roleArn: message.roleArn,
            credentialsId: message.credentialsId,
          },
        }
      : { ...base, error: message.error ?? 'the control plane sent no credentials' };
    this.#byTask.set(`${message.taskArn}|${message.roleType}`, entry);
    if (message.roleType === RoleType.TaskApplication) this.#byId.set(message.credentialsId, entry);
    for (const wake of [...this.#waiters]) wake();
  }

  /** A role's credentials for a task, when they arrived (and the role could be assumed). */
  get(taskArn: string, roleType: RoleType): RoleCredentials | undefined {
    return this.#byTask.get(`${taskArn}|${roleType}`)?.credentials;
  }

  /** The credentials id of the task's role, once the control plane sent it. */
  credentialsId(taskArn: string, roleType: RoleType): string | undefined {
    return this.#byTask.get(`${taskArn}|${roleType}`)?.credentialsId;
  }

  /** The task role credentials behind a container's id, with the task they belong to. */
  byId(credentialsId: string): { taskArn: string; credentials: RoleCredentials } | undefined {
    const entry = this.#byId.get(credentialsId);
    return entry?.credentials ? { taskArn: entry.taskArn, credentials: entry.credentials } : undefined;
  }

  /**
   * Resolves once every role in `roleTypes` has an answer for the task: ok, or the first error the
   * control plane sent (ECS's text), or a timeout.
   */
  waitFor(
    taskArn: string,
    roleTypes: readonly RoleType[],
    timeoutMs: number,
    timers: Timers,
  ): Promise<CredentialsWait> {
    const check = (): CredentialsWait | undefined => {
      for (const roleType of roleTypes) {
        const entry = this.#byTask.get(`${taskArn}|${roleType}`);
        if (!entry) return undefined;
        if (entry.error !== undefined) return { ok: false, reason: entry.error };
      }
      return { ok: true };
    };
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const wake = () => {
        const answer = check();
        if (!answer) return;
        this.#waiters.delete(wake);
        timers.clearTimeout(timer);
        resolve(answer);
      };
      const timer = timers.setTimeout(() => {
        this.#waiters.delete(wake);
        resolve({
          ok: false,
          reason: `the control plane sent no credentials for the task's roles within ${Math.round(timeoutMs / 1000)} s`,
        });
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  /** Forgets a task's credentials (it stopped: ECS removes them then). */
  remove(taskArn: string): void {
    for (const roleType of Object.values(RoleType)) {
      const key = `${taskArn}|${roleType}`;
      const entry = this.#byTask.get(key);
      if (!entry) continue;
      this.#byTask.delete(key);
      if (this.#byId.get(entry.credentialsId) === entry) this.#byId.delete(entry.credentialsId);
    }
  }
}

/** The roles a task uses, from its definition and RunTask's overrides (as the control plane reads them). */
export function taskRoleTypes(assignment: {
  taskDefinition: { taskRoleArn?: string; executionRoleArn?: string };
  overrides: { taskRoleArn?: string; executionRoleArn?: string };
}): RoleType[] {
  const out: RoleType[] = [];
  if (assignment.overrides.taskRoleArn ?? assignment.taskDefinition.taskRoleArn)
    out.push(RoleType.TaskApplication);
  if (assignment.overrides.executionRoleArn ?? assignment.taskDefinition.executionRoleArn)
    out.push(RoleType.TaskExecution);
  return out;
}
