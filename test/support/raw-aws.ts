/** Sends hand-built, SigV4-signed requests of any AWS protocol, to test what the SDKs would never send. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from './control-plane.ts';

export interface RawAwsRequest {
  /** The signing name: `sts`, `scheduler`, `monitoring`. */
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  unsigned?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface RawAwsResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
}

export async function rawAws(endpoint: string, r: RawAwsRequest): Promise<RawAwsResponse> {
  const url = new URL(endpoint);
  const method = r.method ?? 'POST';
  const path = r.path ?? '/';
  let headers: Record<string, string> = { host: url.host, ...r.headers };
  if (!r.unsigned) {
    const signer = new SignatureV4({
      credentials: r.credentials ?? TEST_CREDENTIALS,
      region: 'us-east-1',
      service: r.service,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: r.query,
      headers,
      body: r.body,
    });
    headers = signed.headers as Record<string, string>;
  }
  const { host: _host, ...sendable } = headers;
  const search = r.query ? `?${new URLSearchParams(r.query)}` : '';
  const res = await fetch(`${endpoint}${path}${search}`, {
    method,
    headers: sendable,
    body: method === 'GET' || method === 'HEAD' ? undefined : sendableBody(r.body),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: Buffer.from(bytes).toString('utf8') };
}

/** A Query call's form body: `Action=...&Version=...&more`. */
export function form(params: Record<string, string>): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(params).toString(),
  };
}

function sendableBody(body: string | Uint8Array | undefined): string | Uint8Array<ArrayBuffer> | undefined {
  return body === undefined || typeof body === 'string' ? body : new Uint8Array(body);
}
