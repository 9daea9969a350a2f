/**
 * HTTP for the agent's own calls and servers, at the memory an agent can afford. node:http is
 * loaded with `require`: an ESM import of it reads every export, and its lazy `WebSocket`,
 * `CloseEvent` and `MessageEvent` exports load undici and what it needs (~3 MiB of an idle agent).
 * For the same reason the agent's calls to the control plane use `httpRequest` below rather than
 * `fetch`, whose implementation is undici. node:https (TLS) is loaded when a URL needs it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const http = require('node:http') as typeof import('node:http');

export function https(): typeof import('node:https') {
  return require('node:https') as typeof import('node:https');
}

export interface HttpAnswer {
  status: number;
  /** 2xx, as fetch's `ok`. */
  ok: boolean;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Abandon the request (its answer too) after this long: an AbortError whose cause is a TimeoutError. */
  timeoutMs?: number;
}

/** One request over node:http / node:https, its whole answer read; rejects with Node's error when it cannot connect. */
export function httpRequest(url: URL, o: HttpRequestOptions): Promise<HttpAnswer> {
  const { request } = url.protocol === 'https:' ? https() : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    const req = request(
      url,
      {
        method: o.method,
        headers,
        ...(o.timeoutMs !== undefined ? { signal: AbortSignal.timeout(o.timeoutMs) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The answer's body as JSON; an empty object when it is not a JSON object. */
export function jsonBody(answer: HttpAnswer): Record<string, unknown> {
  try {
    const value = JSON.parse(answer.body.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
