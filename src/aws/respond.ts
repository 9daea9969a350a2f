/** Writes what a protocol answered to the HTTP response: the only place the gateway touches `res` for AWS calls. */
import type { ServerResponse } from 'node:http';
import type { OutgoingResponse } from './protocols/protocol.ts';

export function writeResponse(res: ServerResponse, answer: OutgoingResponse): void {
  if (res.headersSent) {
    // A raw route failed half-way through its answer: all that is left is to cut the connection.
    res.destroy();
    return;
  }
  const length = typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.byteLength;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': length });
  res.end(answer.body);
}
