/**
 * `/v2/credentials/<id>` for task roles: the ECS container credentials answer
 * (`{RoleArn, AccessKeyId, SecretAccessKey, Token, Expiration}`) to the task that owns the id and
 * to no one else (credentials-binding.ts). An id the agent does not know gets 404 (the awslogs ids
 * are answered elsewhere); a known id asked from another source gets 403. Neither answer, nor the
 * log, carries the id or a secret.
 */
import { networkInterfaces } from 'node:os';
import type { TaskState } from '../engine/task-state.ts';
import type { RoleCredentials } from '../task-credentials.ts';
import { networkModeOf } from '../engine/task-limits.ts';
import { sourceAllowed } from './credentials-binding.ts';

const NONE: ReadonlySet<string> = new Set();

export interface TaskCredentialsLookup {
  /** The task role credentials behind an id, and their task. */
  byId(credentialsId: string): { taskArn: string; credentials: RoleCredentials } | undefined;
  /** The task, while this agent runs it (not once it is STOPPED). */
  task(taskArn: string): Readonly<TaskState> | undefined;
  /** The addresses Docker gives the task's containers now (a container started a moment ago). */
  liveAddresses(task: Readonly<TaskState>): Promise<string[]>;
}

export interface EndpointAnswer {
  status: number;
  body: unknown;
}

/** The answer for `id` asked from `remoteAddress`; undefined for an id that is not a task role's. */
export async function answerTaskCredentials(
  lookup: TaskCredentialsLookup,
  id: string,
  remoteAddress: string,
): Promise<EndpointAnswer | undefined> {
  const found = lookup.byId(id);
  if (!found) return undefined;
  const task = lookup.task(found.taskArn);
  if (!task || task.known === 'STOPPED') return undefined;
  const local = networkModeOf(task.assignment) === 'host' ? hostAddresses() : NONE;
  let verdict = sourceAllowed(task, remoteAddress, local);
  if (verdict === 'unknown') {
    const live = await lookup.liveAddresses(task);
    verdict = live.includes(remoteAddress.replace(/^::ffff:/, '')) ? 'yes' : 'no';
  }
  if (verdict !== 'yes') {
    return {
      status: 403,
      body: {
        code: 'AccessDenied',
        message: 'CredentialsV2Request: these credentials belong to another task',
        HTTPErrorCode: 403,
      },
    };
  }
  const c = found.credentials;
  return {
    status: 200,
    body: {
      RoleArn: c.roleArn,
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.sessionToken,
      Expiration: new Date(c.expiration).toISOString(),
    },
  };
}

/** This host's own addresses (a host-mode task's requests come from one of them). */
function hostAddresses(): ReadonlySet<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  return out;
}
