/**
 * Refuses an HTTP upgrade (the agents' WebSocket channel) with the error's AWS shape, decided by
 * the same mapping as every other answer (`wire-error.ts`, REST rules: authentication failures
 * are 403): the only place a channel refusal is written.
 */
import type { Duplex } from 'node:stream';
import { ServiceError } from '../core/errors.ts';
import { ProtocolName } from './protocols/protocol.ts';
import { internalError, toWireError } from './wire-error.ts';

export function rejectUpgrade(socket: Duplex, error: unknown): void {
  const wire = toWireError(error instanceof ServiceError ? error : internalError(), ProtocolName.RestJson1);
  const body = JSON.stringify({ __type: wire.type, message: wire.message });
  socket.end(
    `HTTP/1.1 ${wire.status} ${wire.status === 403 ? 'Forbidden' : wire.fault === 'server' ? 'Internal Server Error' : 'Bad Request'}\r\n` +
      `content-type: application/json\r\nx-amzn-ErrorType: ${wire.type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
