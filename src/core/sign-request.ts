/** Signs an outgoing request with SigV4 (service `ecs` unless named), for Longshore's own clients (agent channel, CLI, benches). Pure: the signing time is passed in. */
import { NodeSha256 } from './node-sha256.ts';
import { SignatureV4 } from '@smithy/signature-v4';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Headers to sign besides `host` (added here). */
  headers?: Record<string, string>;
  body?: string;
  /** When the request is signed (epoch ms, from the caller's clock). */
  now: number;
  /** The signing name; default `ecs`. */
  service?: string;
}

/** Long-term keys, or temporary ones with their session token (sent and signed as X-Amz-Security-Token). */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The request's headers with `host`, `x-amz-date`, `x-amz-content-sha256` (the body's hash),
 * `x-amz-security-token` for temporary credentials, and `authorization` added. Every header is
 * signed, as the control plane's verifier requires of `host` and every `x-amz-*` header.
 */
export async function signRequest(
  credentials: SigningCredentials,
  region: string,
  request: OutgoingRequest,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region,
    service: request.service ?? 'ecs',
    sha256: NodeSha256,
  });
  const { url } = request;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      // Every value of a repeated name, as the verifier canonicalizes them.
      query: queryRecord(url.searchParams),
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    { signingDate: new Date(request.now) },
  );
  return signed.headers as Record<string, string>;
}

/** Query parameters with every value of a repeated name (the canonical query sorts and keeps them all). */
export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}
