/** Writes AWS JSON responses and the AWS error shape (`__type`, `message`, `x-amzn-ErrorType`). */
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../core/errors.ts';

export function writeJson(res: ServerResponse, status: number, body: unknown, contentType: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function writeError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('x-amzn-ErrorType', error.type);
  writeJson(
    res,
    error.status,
    { __type: error.type, message: error.message, ...error.extra },
    'application/x-amz-json-1.1',
  );
}
