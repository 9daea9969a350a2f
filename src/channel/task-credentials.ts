/**
 * Task role and execution role credentials for the agents (ECS's IAMRoleCredentialsMessage): for
 * every task an agent is given whose definition (or RunTask override) names a `taskRoleArn` or an
 * `executionRoleArn`, the role's credentials are issued (an STS session, by the injected issuer:
 * iam/model/task-credentials.ts), sent after the assignment, and sent again at their refresh time
 * while the task is not STOPPED. Issued credentials are shared by the agent's reconnects (a
 * reconnect gets the ones already issued, not new sessions). Nothing here logs a secret.
 */
import { RoleType, type TaskAssignment, type TaskCredentialsMessage } from '../core/agent-protocol.ts';
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { Timers } from '../core/timers.ts';

/** What IAM answers for one role of one task (structurally iam/model's TaskRoleResult). */
export type IssuedRole =
  | {
      ok: true;
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken: string;
      issuedAt: number;
      expiresAt: number;
    }
  | { ok: false; error: string };

/** Issues task role sessions (the control plane wires IAM's in). */
export interface TaskRoleIssuer {
  issue(request: { roleArn: string; taskArn: string }): Promise<IssuedRole>;
  /** The stable, unguessable id of the task's credentials for one role. */
  credentialsId(taskArn: string, roleType: RoleType): string;
  /** When credentials issued at `issuedAt`, expiring at `expiresAt`, are replaced. */
  refreshAt(issuedAt: number, expiresAt: number): number;
}

/** One agent's connection, as the feed sees it. */
export interface CredentialsPeer {
  send(message: TaskCredentialsMessage): void;
  readonly open: boolean;
}

export interface TaskCredentialsFeedOptions {
  issuer: TaskRoleIssuer;
  clock: Clock;
  timers: Timers;
  /** Whether the task still needs credentials (its record exists and is not STOPPED). */
  alive(taskArn: string): Promise<boolean>;
  log: { warn(obj: object, msg: string): void };
}

/** How long a role that could not be assumed is remembered. */
const ERROR_KEEP_MS = 10 * 60_000;
/** Expired credentials are looked for at most this often. */
const SWEEP_EVERY_MS = 60_000;

interface Issued {
  message: TaskCredentialsMessage;
  /** Epoch ms; Infinity for an error (never refreshed). */
  refreshAt: number;
  expiresAt: number;
}

/** The roles a task's containers and agent use, from its definition and its RunTask overrides. */
export function taskRoles(assignment: TaskAssignment): { roleType: RoleType; roleArn: string }[] {
  const out: { roleType: RoleType; roleArn: string }[] = [];
  const task = assignment.overrides.taskRoleArn ?? assignment.taskDefinition.taskRoleArn;
  const execution = assignment.overrides.executionRoleArn ?? assignment.taskDefinition.executionRoleArn;
  if (task) out.push({ roleType: RoleType.TaskApplication, roleArn: task });
  if (execution) out.push({ roleType: RoleType.TaskExecution, roleArn: execution });
  return out;
}

export class TaskCredentialsFeed {
  readonly #o: TaskCredentialsFeedOptions;
  /** Issued (or being issued) credentials by `taskArn|roleType`. */
  readonly #issued = new Map<string, Promise<Issued>>();
  /** Per agent: refresh timers by `taskArn|roleType` (present = sent to that agent). */
  readonly #peers = new Map<CredentialsPeer, Map<string, unknown>>();
  #sweptAt = 0;

  constructor(options: TaskCredentialsFeedOptions) {
    this.#o = options;
  }

  /** Sends `peer` the credentials of these tasks' roles that it has not had on this connection. */
  sync(peer: CredentialsPeer, tasks: readonly TaskAssignment[]): void {
    let sent = this.#peers.get(peer);
    if (!sent) {
      sent = new Map();
      this.#peers.set(peer, sent);
    }
    for (const task of tasks) {
      // A task stopping before its credentials were ever sent needs none.
      if (task.desiredStatus !== 'RUNNING') continue;
      for (const { roleType, roleArn } of taskRoles(task)) {
        const key = `${task.taskArn}|${roleType}`;
        if (sent.has(key)) continue;
        sent.set(key, undefined);
        this.#deliver(peer, key, task.taskArn, roleType, roleArn, false);
      }
    }
  }

  /** Forgets an agent connection (its timers stop; issued credentials stay for its reconnect). */
  close(peer: CredentialsPeer): void {
    const sent = this.#peers.get(peer);
    if (!sent) return;
    for (const timer of sent.values()) if (timer !== undefined) this.#o.timers.clearTimeout(timer);
    this.#peers.delete(peer);
  }

  /** Every connection's timers stop. */
  closeAll(): void {
    for (const peer of [...this.#peers.keys()]) this.close(peer);
  }

  #deliver(
    peer: CredentialsPeer,
    key: string,
    taskArn: string,
    roleType: RoleType,
    roleArn: string,
    refresh: boolean,
  ): void {
    this.#current(key, taskArn, roleType, roleArn, refresh)
      .then((issued) => {
        const sent = this.#peers.get(peer);
        if (!sent || !peer.open) return;
        peer.send(issued.message);
        if (!Number.isFinite(issued.refreshAt)) return;
        const delay = Math.max(0, issued.refreshAt - this.#o.clock.now());
        sent.set(
          key,
          this.#o.timers.setTimeout(() => {
            this.#o.alive(taskArn).then(
              (alive) => {
                if (alive) this.#deliver(peer, key, taskArn, roleType, roleArn, true);
                else {
                  this.#issued.delete(key);
                  this.#peers.get(peer)?.delete(key);
                }
              },
              (error: unknown) =>
                this.#o.log.warn({ taskArn, error: describeError(error) }, 'task credentials refresh failed'),
            );
          }, delay),
        );
      })
      .catch((error: unknown) => {
        // The store failed: forget the attempt so the next sync (a reconnect, a change) tries again.
        this.#issued.delete(key);
        this.#peers.get(peer)?.delete(key);
        this.#o.log.warn(
          { taskArn, roleType, error: describeError(error) },
          'issuing task credentials failed',
        );
      });
  }

  /**
   * The task's credentials for the role: the ones issued already while their refresh time is ahead
   * (another connection may have refreshed them first), else new ones.
   */
  #current(
    key: string,
    taskArn: string,
    roleType: RoleType,
    roleArn: string,
    refresh: boolean,
  ): Promise<Issued> {
    const now = this.#o.clock.now();
    this.#sweep(now);
    const existing = this.#issued.get(key);
    if (existing && !refresh) return existing;
    if (existing && refresh) {
      return existing.then((issued) =>
        issued.refreshAt > this.#o.clock.now() || issued.message.roleArn !== roleArn
          ? issued
          : this.#issue(key, taskArn, roleType, roleArn, existing),
      );
    }
    return this.#issue(key, taskArn, roleType, roleArn, undefined);
  }

  #issue(
    key: string,
    taskArn: string,
    roleType: RoleType,
    roleArn: string,
    replacing: Promise<Issued> | undefined,
  ): Promise<Issued> {
    // Another refresh of the same key may already be under way: share it.
    const now = this.#issued.get(key);
    if (now && now !== replacing) return now;
    const { issuer } = this.#o;
    const credentialsId = issuer.credentialsId(taskArn, roleType);
    const made = issuer.issue({ roleArn, taskArn }).then((result): Issued => {
      const base = { type: 'credentials' as const, taskArn, roleType, roleArn, credentialsId };
      // An error is kept a while (the task stops with it), then asked again on the next sync.
      if (!result.ok)
        return {
          message: { ...base, error: result.error },
          refreshAt: Infinity,
          expiresAt: this.#o.clock.now() + ERROR_KEEP_MS,
        };
      return {
        message: {
          ...base,
          credentials: {
            accessKeyId: result.accessKeyId,
            secretAccessKey: result.secretAccessKey,
            sessionToken: result.sessionToken,
            expiration: result.expiresAt,
          },
        },
        refreshAt: issuer.refreshAt(result.issuedAt, result.expiresAt),
        expiresAt: result.expiresAt,
      };
    });
    this.#issued.set(key, made);
    return made;
  }

  /** Drops credentials that expired (tasks that stopped while no agent connection refreshed them). */
  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const [key, issued] of this.#issued) {
      issued.then(
        (i) => {
          if (i.expiresAt < now && this.#issued.get(key) === issued) this.#issued.delete(key);
        },
        () => undefined,
      );
    }
  }
}
