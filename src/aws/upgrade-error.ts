/**
 * Refuses an HTTP upgrade (the agents' WebSocket channel) with the error's AWS shape, decided by
 * the same mapping as every other answer (`wire-error.ts`, REST rules: authentication failures
 * are 403) and laid out as raw routes lay out theirs: the only place a channel refusal is written.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ServiceError } from '../core/errors.ts';
import { ProtocolName } from './protocols/protocol.ts';
import { rawJsonError } from './protocols/raw-routes.ts';
import { internalError, toWireError } from './wire-error.ts';

export function rejectUpgrade(socket: Duplex, error: unknown): void {
  const wire = toWireError(error instanceof ServiceError ? error : internalError(), ProtocolName.RestJson1);
  const answer = rawJsonError(wire);
  const body = typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body).toString('utf8');
  const headers = Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n${headers}\r\n${body}`);
}
