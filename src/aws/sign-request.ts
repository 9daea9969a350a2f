/** Signs an outgoing request with SigV4 (service `ecs`), for Longshore's own clients (agent channel, CLI, benches). */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Headers to sign besides `host` (added here). */
  headers?: Record<string, string>;
  body?: string;
}

/** The request's headers with `host`, `x-amz-date` and `authorization` added. */
export async function signRequest(
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  request: OutgoingRequest,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region, service: 'ecs', sha256: Sha256 });
  const { url } = request;
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  return signed.headers as Record<string, string>;
}
