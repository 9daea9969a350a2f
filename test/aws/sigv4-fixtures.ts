/** Shared by the sigv4-*.test.ts files: keys, requests signed with the AWS signing library, error checks. */
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { WebSocket } from 'ws';
import type { SecretLookup, SignedRequest } from '../../src/aws/sigv4.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';

/** 2024-03-01T12:00:00Z: the unit tests' clock. */
export const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);

export const LONG_TERM = { accessKeyId: 'AKLSLONGTERM00000001', secretAccessKey: 'long-term-secret' };
export const SESSION = {
  accessKeyId: 'ASLSSESSION000000001',
  secretAccessKey: 'session-secret',
  sessionToken: 'session-token-1',
};
export const EXPIRED = {
  accessKeyId: 'ASLSEXPIRED000000001',
  secretAccessKey: 'expired-secret',
  sessionToken: 'expired-token-1',
};

/** The long-term key as a bare secret (the control plane's form), the session keys as credentials. */
export const SECRETS: SecretLookup = (id) => {
  if (id === LONG_TERM.accessKeyId) return LONG_TERM.secretAccessKey;
  if (id === SESSION.accessKeyId) return { ...SESSION, expiresAt: NOW + 3600_000 };
  if (id === EXPIRED.accessKeyId) return { ...EXPIRED, expiresAt: NOW - 1 };
  if (id === TEST_CREDENTIALS.accessKeyId) return TEST_CREDENTIALS.secretAccessKey;
  return undefined;
};

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignSpec {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: Credentials;
  region?: string;
  service?: string;
  date?: number;
  /** Headers sent but left out of SignedHeaders. */
  unsigned?: string[];
  /** Default true: add x-amz-content-sha256 as the SDKs for S3 do (and the JS SDK for every service). */
  applyChecksum?: boolean;
  uriEscapePath?: boolean;
}

function signer(spec: SignSpec): SignatureV4 {
  return new SignatureV4({
    credentials: spec.credentials ?? LONG_TERM,
    region: spec.region ?? 'us-east-1',
    service: spec.service ?? 'ecs',
    sha256: Sha256,
    applyChecksum: spec.applyChecksum ?? true,
    uriEscapePath: spec.uriEscapePath ?? true,
  });
}

function libraryRequest(spec: SignSpec) {
  const url = new URL(spec.url ?? 'http://127.0.0.1:4590/');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(name);
    query[name] = all.length === 1 ? all[0] : all;
  }
  return {
    url,
    request: {
      method: spec.method ?? 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { host: url.host, ...spec.headers },
      body: spec.body ?? '{}',
    },
  };
}

/** Signs in the Authorization header; returns the request as the verifier sees it. */
export async function signed(spec: SignSpec = {}): Promise<SignedRequest & { url: URL }> {
  const { url, request } = libraryRequest(spec);
  const out = await signer(spec).sign(request, {
    signingDate: new Date(spec.date ?? NOW),
    unsignableHeaders: new Set(spec.unsigned ?? []),
  });
  return asVerifierInput(request.method, url, out.headers as Record<string, string>, request.body, out.query);
}

/** Signs in the query string (presigned URL); `expiresIn` seconds. */
export async function presigned(
  spec: SignSpec & { expiresIn?: number; keepHeaders?: string[] } = {},
): Promise<SignedRequest & { url: URL }> {
  const { url, request } = libraryRequest({ method: 'GET', body: '', ...spec });
  const out = await signer(spec).presign(request, {
    signingDate: new Date(spec.date ?? NOW),
    expiresIn: spec.expiresIn ?? 3600,
    unsignableHeaders: new Set(spec.unsigned ?? []),
    unhoistableHeaders: new Set(spec.keepHeaders ?? []),
  });
  return asVerifierInput(request.method, url, out.headers as Record<string, string>, request.body, out.query);
}

function asVerifierInput(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
  query: Record<string, string | string[] | null> | undefined,
): SignedRequest & { url: URL } {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) params.append(name, v);
  }
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v);
  const sent = new URL(url);
  sent.search = params.toString();
  return { method, path: url.pathname, query: params, headers: lower, body, url: sent };
}

/** What a failure must look like: AWS error code, HTTP status and message. */
export interface Expected {
  type: string;
  status: number;
  message: string | RegExp;
  extra?: Record<string, unknown>;
}

export async function expectServiceError(promise: Promise<unknown>, expected: Expected): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const e = error as { code?: string; status?: number; message?: string; extra?: Record<string, unknown> };
    assert.equal(e.code, expected.type);
    assert.equal(e.status, expected.status);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else assert.match(e.message ?? '', expected.message);
    if (expected.extra) assert.deepEqual(e.extra, expected.extra);
    return true;
  });
}

/** Sends a signed request to a running control plane (fetch sets Host from the URL, as signed). */
export async function send(
  request: SignedRequest & { url: URL },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { host: _host, 'content-length': _length, ...headers } = request.headers;
  const res = await fetch(request.url, {
    method: request.method,
    headers,
    body: request.method === 'GET' ? undefined : (request.body as string),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INVALID_TOKEN = 'The security token included in the request is invalid.';

export interface Handshake {
  status: number;
  body: string;
}

/** Opens the agent channel's WebSocket with `headers`; resolves with the upgrade's status and body. */
export function openChannel(url: string, headers: Record<string, string>): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers, handshakeTimeout: 5000 });
    ws.on('upgrade', () => {
      resolve({ status: 101, body: '' });
      ws.terminate();
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (error) => reject(error));
  });
}
