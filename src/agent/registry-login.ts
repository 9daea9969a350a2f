/**
 * Pull credentials for Longshore's own registry (ECR): an image whose registry is the control
 * plane's endpoint (`127.0.0.1:4590/demo:latest`, or the same port on localhost) is pulled with a
 * password from ECR's GetAuthorizationToken, signed with the agent's credentials in its region
 * (ECS uses the task execution role; until IAM exists, the installation's key pair). Passwords
 * are cached until an hour before they expire and never logged.
 */
import type { SigningCredentials } from '../core/sign-request.ts';
import { signRequest } from '../core/sign-request.ts';
import type { RegistryAuth } from './docker/runtime.ts';

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
/** Renew this long before the password expires (ECR's last 12 hours). */
const RENEW_BEFORE_MS = 60 * 60_000;

export interface RegistryLoginOptions {
  /** The control plane's endpoint (`http://127.0.0.1:4590`). */
  endpoint: string;
  region: string;
  credentials: SigningCredentials;
  now?: () => number;
}

export class RegistryLogin {
  readonly #o: RegistryLoginOptions;
  readonly #hosts: ReadonlySet<string>;
  readonly #loopback: ReadonlySet<string>;
  readonly #endpointHost: string;
  #cached: { auth: RegistryAuth; renewAt: number } | undefined;
  #fetching: Promise<RegistryAuth> | undefined;

  constructor(options: RegistryLoginOptions) {
    this.#o = options;
    const url = new URL(options.endpoint);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    this.#loopback = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.#hosts = new Set([url.host, ...this.#loopback]);
    this.#endpointHost = url.host;
  }

  /**
   * Where to pull `ref` from. Repository URIs name the registry as the control plane sees it
   * (`127.0.0.1:4590/demo:latest`); an agent on another host reaches it at the address it
   * connects to (`10.0.0.5:4590/demo:latest`): when the loopback form cannot be pulled, the
   * engine pulls from there and tags the result with the original name. That host's Docker daemon must accept the
   * registry (`insecure-registries`, or TLS): docs/ecr.md. Digest references keep their name.
   */
  pullSource(ref: string): string {
    const host = registryOf(ref);
    if (!host || !this.#loopback.has(host) || this.#loopback.has(this.#endpointHost)) return ref;
    if (ref.includes('@')) return ref;
    return `${this.#endpointHost}${ref.slice(host.length)}`;
  }

  /** Credentials for `ref` when its registry is Longshore's; undefined for every other registry. */
  async forImage(ref: string): Promise<RegistryAuth | undefined> {
    const host = registryOf(ref);
    if (!host || !this.#hosts.has(host)) return undefined;
    const now = (this.#o.now ?? Date.now)();
    if (this.#cached && this.#cached.renewAt > now) return { ...this.#cached.auth, serveraddress: host };
    this.#fetching ??= this.#fetch(now).finally(() => {
      this.#fetching = undefined;
    });
    return { ...(await this.#fetching), serveraddress: host };
  }

  /**
   * Drops the cached password (the registry refused it: the control plane's token secret changed,
   * or the password was issued by an older release): the next pull logs in again.
   */
  forget(): void {
    this.#cached = undefined;
  }

  async #fetch(now: number): Promise<RegistryAuth> {
    const url = new URL('/', this.#o.endpoint);
    const body = '{}';
    const headers = await signRequest(this.#o.credentials, this.#o.region, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
      body,
      now,
      service: 'ecr',
    });
    const { host: _host, ...sent } = headers;
    const res = await fetch(url, {
      method: 'POST',
      headers: sent,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const out = (await res.json()) as {
      authorizationData?: { authorizationToken?: string; expiresAt?: number }[];
      __type?: string;
      message?: string;
    };
    const data = out.authorizationData?.[0];
    if (!res.ok || !data?.authorizationToken) {
      throw new Error(
        `GetAuthorizationToken failed: ${out.__type ?? res.status} ${out.message ?? ''}`.trim(),
      );
    }
    const [username, ...rest] = Buffer.from(data.authorizationToken, 'base64').toString('utf8').split(':');
    const auth = { username, password: rest.join(':'), serveraddress: url.host };
    const expiresAt = (data.expiresAt ?? 0) * 1000;
    this.#cached = { auth, renewAt: expiresAt - RENEW_BEFORE_MS };
    return auth;
  }
}

/** The registry host of an image reference (`host[:port]/path:tag`), as Docker decides it. */
export function registryOf(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}
