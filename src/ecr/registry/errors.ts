/** The registry's error shape: `{"errors":[{"code","message","detail"}]}` with the spec's status. */
import type { ServerResponse } from 'node:http';
import type { WireError } from '../../aws/wire-error.ts';
import type { OutgoingResponse } from '../../aws/protocols/protocol.ts';
// Types only: this file is on the start-up path (registry-routes.ts); the model loads with the handler.
import type { RegistryError, RegistryErrorCode } from '../model/images.ts';

export const API_VERSION_HEADER = { 'Docker-Distribution-API-Version': 'registry/2.0' } as const;

export function errorBody(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [{ code, message, detail: detail ?? null }] });
}

/** Writes `error` (headers not sent yet), with the challenge when it is UNAUTHORIZED. */
export function writeRegistryError(res: ServerResponse, error: RegistryError, challenge?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(error.registryCode, error.message, error.detail);
  const headers: Record<string, string | number> = {
    ...API_VERSION_HEADER,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  };
  if (error.registryCode === 'UNAUTHORIZED' && challenge) headers['WWW-Authenticate'] = challenge;
  res.writeHead(error.status, headers);
  res.end(body);
}

/** How the gateway writes a failure it caught around the route (an unexpected one is a 500). */
export function rawRegistryError(error: WireError): OutgoingResponse {
  const code: RegistryErrorCode | 'UNKNOWN' =
    error.status >= 500 ? 'UNKNOWN' : (error.type as RegistryErrorCode);
  return {
    status: error.status,
    headers: { ...API_VERSION_HEADER, 'content-type': 'application/json; charset=utf-8' },
    body: errorBody(code, error.message),
  };
}
