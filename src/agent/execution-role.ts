/**
 * Clients that sign with a task's execution role session instead of the agent's own key, as the
 * ECS agent uses the execution role: ECR logins for pulls from Longshore's registry and Secrets
 * Manager / Parameter Store reads for `secrets`. One client per session key (a refresh brings a new
 * key, and so a new client), a bounded number kept.
 */
import type { SigningCredentials } from '../core/sign-request.ts';
import type { RegistryAuth } from './docker/runtime.ts';
import type { SecretSource } from './engine/container-secrets.ts';
import { RegistryLogin } from './registry-login.ts';
import { SecretsClient } from './secrets-client.ts';

/** Sessions whose clients are kept (tasks starting at once with different execution roles). */
const KEPT_SESSIONS = 64;

export interface ExecutionRoleOptions {
  /** The control plane's endpoint (`http://127.0.0.1:4590`). */
  endpoint: string;
  region: string;
}

export class ExecutionRoleClients {
  readonly #o: ExecutionRoleOptions;
  readonly #logins = new Map<string, RegistryLogin>();
  readonly #secrets = new Map<string, SecretsClient>();

  constructor(options: ExecutionRoleOptions) {
    this.#o = options;
  }

  /**
   * Registry credentials for `ref` from GetAuthorizationToken signed with the session; undefined
   * when `ref` is not in Longshore's registry. Rejects with the service's error when refused.
   */
  registryAuth(ref: string, credentials: SigningCredentials): Promise<RegistryAuth | undefined> {
    const login = kept(
      this.#logins,
      credentials.accessKeyId,
      () => new RegistryLogin({ ...this.#o, credentials }),
    );
    return login.forImage(ref);
  }

  /** Where `secrets` are read with the session. */
  secrets(credentials: SigningCredentials): SecretSource {
    return kept(this.#secrets, credentials.accessKeyId, () => new SecretsClient({ ...this.#o, credentials }));
  }
}

/** The value for `key`, made once; the oldest goes when more than KEPT_SESSIONS are kept. */
function kept<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
    if (map.size > KEPT_SESSIONS) map.delete(map.keys().next().value as string);
  }
  return value;
}
