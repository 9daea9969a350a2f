/** Sends hand-built, SigV4-signed AWS JSON requests, to test what the SDK would never send. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from './control-plane.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface RawOptions {
  target?: string;
  body?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signingDate?: Date;
  region?: string;
  service?: string;
  /** Change headers after signing (to break a signature). */
  tamper?: (headers: Record<string, string>) => void;
  unsigned?: boolean;
}

export async function rawEcs(endpoint: string, op: string, options: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = options.body ?? '{}';
  let headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': options.target ?? `AmazonEC2ContainerServiceV20141113.${op}`,
  };
  if (!options.unsigned) {
    const signer = new SignatureV4({
      credentials: options.credentials ?? TEST_CREDENTIALS,
      region: options.region ?? 'us-east-1',
      service: options.service ?? 'ecs',
      sha256: Sha256,
    });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers,
        body,
      },
      { signingDate: options.signingDate },
    );
    headers = signed.headers as Record<string, string>;
  }
  options.tamper?.(headers);
  const { host: _host, ...sendable } = headers;
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: sendable, body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}
