/** The responses ALB itself gives (errors, fixed responses), with its `Server: awselb/2.0` and its HTML bodies. */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

export type AnyResponse = ServerResponse | Http2ServerResponse;

/** writeHead on either kind of response (their signatures differ only in overloads). */
export function writeHead(
  res: AnyResponse,
  status: number,
  headers: Record<string, string | string[] | number>,
): void {
  (res as ServerResponse).writeHead(status, headers);
}

/** Status texts ALB uses in its own pages (463 and 460 are ALB's, not IANA's). */
const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  404: 'Not Found',
  460: 'Client Closed Request',
  463: 'Bad Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function albErrorBody(status: number): string {
  const title = `${status} ${REASONS[status] ?? ''}`.trim();
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** Sends ALB's own error page unless a response already started (then the connection is cut). */
export function sendAlbError(res: AnyResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = albErrorBody(status);
  writeHead(res, status, {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendFixed(
  res: AnyResponse,
  status: number,
  contentType: string | undefined,
  body: string | undefined,
): void {
  const text = body ?? '';
  writeHead(res, status, {
    server: 'awselb/2.0',
    'content-type': contentType ?? 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendRedirect(res: AnyResponse, status: number, location: string): void {
  const body = albErrorBody(status);
  writeHead(res, status, {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
    location,
  });
  res.end(body);
}
