/**
 * Pull credentials for Longshore's own registry (ECR): an image whose registry is the control
 * plane's endpoint (`127.0.0.1:4590/demo:latest`, or the same port on localhost) is pulled with a
 * password from ECR's GetAuthorizationToken, signed with the agent's credentials in its region
 * (ECS uses the task execution role; until IAM exists, the installation's key pair). Passwords
 * are cached until an hour before they expire and never logged.
 */
import { httpRequest, jsonBody } from './http-request.ts';
import { type SigningCredentials, signRequest } from './sigv4.ts';
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
  /**
   * The registry's own name (`127.0.0.1:4590`), from GetAuthorizationToken's proxyEndpoint: what
   * repository URIs name, which may differ from the endpoint this agent uses (another host, a
   * forwarded or mapped port).
   */
  #registryHost: string | undefined;
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
   * connects to (`10.0.0.5:4590/demo:latest`, or another port when forwarded): when the loopback
   * form cannot be pulled, the engine pulls from there and tags the result with the original name.
   * That host's Docker daemon must accept the registry (`insecure-registries`, or TLS):
   * docs/ecr.md. Digest references keep their name.
   */
  async pullSource(ref: string): Promise<string> {
    const host = registryOf(ref);
    if (!host || !isLoopback(host) || isLoopback(this.#endpointHost) || ref.includes('@')) return ref;
    if (!(await this.#isOurs(host))) return ref;
    return `${this.#endpointHost}${ref.slice(host.length)}`;
  }

  /**
   * Whether `host` is Longshore's registry: the endpoint, loopback on its port, or the registry's
   * own name (a loopback name on another port is checked against it, which takes one login).
   */
  async #isOurs(host: string): Promise<boolean> {
    if (this.#hosts.has(host) || host === this.#registryHost) return true;
    if (!isLoopback(host) || this.#registryHost !== undefined) return false;
    try {
      await this.#login();
    } catch {
      return false;
    }
    return host === this.#registryHost;
  }

  /** Credentials for `ref` when its registry is Longshore's; undefined for every other registry. */
  async forImage(ref: string): Promise<RegistryAuth | undefined> {
    const host = registryOf(ref);
    if (!host || !(await this.#isOurs(host))) return undefined;
    return { ...(await this.#login()), serveraddress: host };
  }

  async #login(): Promise<RegistryAuth> {
    const now = (this.#o.now ?? Date.now)();
    if (this.#cached && this.#cached.renewAt > now) return this.#cached.auth;
    this.#fetching ??= this.#fetch(now).finally(() => {
      this.#fetching = undefined;
    });
    return this.#fetching;
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
    const headers = signRequest(this.#o.credentials, this.#o.region, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
      body,
      now,
      service: 'ecr',
    });
    const { host: _host, ...sent } = headers;
    const res = await httpRequest(url, { method: 'POST', headers: sent, body, timeoutMs: 10_000 });
    const out = jsonBody(res) as {
      authorizationData?: { authorizationToken?: string; expiresAt?: number; proxyEndpoint?: string }[];
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
    // Learned once (empty when the answer names none): other loopback names are then not ours.
    this.#registryHost = (data.proxyEndpoint && hostOf(data.proxyEndpoint)) || '';
    const expiresAt = (data.expiresAt ?? 0) * 1000;
    this.#cached = { auth, renewAt: expiresAt - RENEW_BEFORE_MS };
    return auth;
  }
}

/** `127.0.0.1:<port>` or `localhost:<port>`: a name only this host can reach. */
function isLoopback(host: string): boolean {
  return /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The registry host of an image reference (`host[:port]/path:tag`), as Docker decides it. */
export function registryOf(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}
