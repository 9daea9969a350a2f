/**
 * Sends one raw request, signed with SigV4 over exactly the bytes sent (so bodies the SDK would
 * never produce still reach the handlers), with a deadline.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../control-plane.ts';
import type { HttpRequest } from './encode.ts';

export type Outcome =
  | { type: 'response'; status: number; headers: Headers; text: string; ms: number }
  /** No response in time, or the connection failed (the server crashed or reset it). */
  | { type: 'failed'; error: string; ms: number };

export async function send(
  endpoint: string,
  signingName: string,
  request: HttpRequest,
  timeoutMs: number,
): Promise<Outcome> {
  const url = new URL(request.path, endpoint);
  // fetch refuses a body on GET and HEAD, as HTTP clients do.
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body;
  const signer = new SignatureV4({
    credentials: TEST_CREDENTIALS,
    region: 'us-east-1',
    service: signingName,
    sha256: Sha256,
    uriEscapePath: true,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: queryOf(url.searchParams),
    headers: { host: url.host, ...request.headers },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: request.method,
      headers,
      body: body === undefined || typeof body === 'string' ? body : Buffer.from(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return {
      type: 'response',
      status: res.status,
      headers: res.headers,
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    return { type: 'failed', error: String(error), ms: performance.now() - started };
  }
}

/** Query parameters as the signer takes them: repeated names as arrays. */
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}
