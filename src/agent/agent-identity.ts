/** What an agent remembers about itself across restarts: the container instance it registered as. */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentIdentity {
  cluster: string;
  containerInstanceArn: string;
}

const FILE = 'agent-identity.json';

export function loadIdentity(dataDir: string): AgentIdentity | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as AgentIdentity;
  } catch {
    return undefined;
  }
}

/** Written atomically (temp file, then rename) so a crash never leaves half a file. */
export function saveIdentity(dataDir: string, identity: AgentIdentity): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `${FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(identity)}\n`);
  renameSync(tmp, join(dataDir, FILE));
}

/** Forgets the instance (it was deregistered): the next start registers anew. */
export function forgetIdentity(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}
