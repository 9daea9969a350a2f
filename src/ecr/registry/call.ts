/** What every registry handler works with, and the small helpers they share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlobStore } from '../model/blob-store.ts';
import type { EcrContext } from '../model/records.ts';
import { API_VERSION_HEADER } from './errors.ts';
import type { Collector } from './gc.ts';

export interface RegistryCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The region the caller's password names. */
  ctx: EcrContext;
  /** Whether the caller may do `action` on repository `name` (a scoped token may not; a password may). */
  allows(name: string, action: string): boolean;
  blobs: BlobStore;
  collector: Collector;
  /** Epoch ms at which the request arrived. */
  now: number;
  log: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Writes a whole answer (HEAD answers carry the headers and no body). */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body?: string | Buffer,
): void {
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { ...API_VERSION_HEADER, 'Content-Length': length, ...headers });
  res.end(body);
}

/** Sends JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
}

/** Whether the request carries a body (a declared length above 0, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
