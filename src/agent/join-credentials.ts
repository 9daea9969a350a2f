/**
 * The agent's own key pair from a join token (`longshore agent --join-token`): read from
 * `<data-dir>/agent-credentials.json` (mode 0600) when an earlier start saved it, else traded for
 * the token at the control plane (`POST /longshore/v1/agents/join`) and saved there. The token is
 * used once per data directory; restarts reuse the saved keys. Neither token nor secret is logged.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_JOIN_PATH } from '../core/agent-protocol.ts';
import { type HttpAnswer, httpRequest, jsonBody } from './http-request.ts';

export const AGENT_CREDENTIALS_FILE = 'agent-credentials.json';

export interface JoinedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  roleArn?: string;
}

export interface JoinOptions {
  dataDir: string;
  /** `lsjt-<id>.<secret>`. */
  joinToken: string;
  /** Control-plane endpoints in order: the first is asked, the next when one cannot be reached. */
  endpoints: readonly string[];
  hostname?: string;
  /** Told when an endpoint cannot be reached and the next is tried. */
  onUnreachable?(endpoint: string, error: unknown): void;
}

/** The saved key pair, or undefined when none was saved (a file that is not one is an error). */
export function loadJoinedCredentials(dataDir: string): JoinedCredentials | undefined {
  const file = join(dataDir, AGENT_CREDENTIALS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const saved = JSON.parse(text) as Partial<JoinedCredentials>;
  if (typeof saved.accessKeyId !== 'string' || typeof saved.secretAccessKey !== 'string')
    throw new Error(`${file} holds no key pair; remove it to join again with a join token`);
  return saved as JoinedCredentials;
}

/** The saved key pair, else the one the join token is traded for (then saved). */
export async function joinedCredentials(o: JoinOptions): Promise<JoinedCredentials> {
  const saved = loadJoinedCredentials(o.dataDir);
  if (saved) return saved;
  const joined = await exchange(o);
  saveJoinedCredentials(o.dataDir, joined);
  return joined;
}

async function exchange(o: JoinOptions): Promise<JoinedCredentials> {
  const body = JSON.stringify({ token: o.joinToken, ...(o.hostname ? { hostname: o.hostname } : {}) });
  let lastError: unknown;
  for (const endpoint of o.endpoints) {
    let res: HttpAnswer;
    try {
      res = await httpRequest(new URL(AGENT_JOIN_PATH, endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    } catch (error) {
      // Only a connection failure moves on: a refusal from one replica is every replica's.
      lastError = error;
      o.onUnreachable?.(endpoint, error);
      continue;
    }
    const answer = jsonBody(res) as Partial<JoinedCredentials> & {
      __type?: string;
      message?: string;
    };
    if (res.ok && typeof answer.accessKeyId === 'string' && typeof answer.secretAccessKey === 'string')
      return {
        accessKeyId: answer.accessKeyId,
        secretAccessKey: answer.secretAccessKey,
        ...(answer.roleArn ? { roleArn: answer.roleArn } : {}),
      };
    if (res.status === 403)
      throw new Error(
        `the control plane at ${endpoint} refused the join token: ${answer.message ?? res.statusText}`,
      );
    throw new Error(
      `joining at ${endpoint} failed (HTTP ${res.status}${answer.__type ? ` ${answer.__type}` : ''}): ${answer.message ?? res.statusText}`,
    );
  }
  const cause = lastError instanceof Error ? (lastError.cause ?? lastError) : lastError;
  throw new Error(
    `cannot reach the control plane to join (${o.endpoints.join(', ')}): ${cause instanceof Error ? cause.message : String(cause)}; check --endpoint and that the control plane is running`,
  );
}

/** Written atomically, readable by the owner only. */
function saveJoinedCredentials(dataDir: string, credentials: JoinedCredentials): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `${AGENT_CREDENTIALS_FILE}.tmp`);
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, join(dataDir, AGENT_CREDENTIALS_FILE));
}
