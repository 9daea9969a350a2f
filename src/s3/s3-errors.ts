/**
 * S3's error document, for every failure of the S3 route (the gateway's SigV4 and IAM failures
 * included): `<Error><Code>..</Code><Message>..</Message>` + the error's own elements +
 * `<RequestId>` and `<HostId>`, with `x-amz-request-id`. HEAD answers carry no body (Node drops it).
 * Longshore's generic codes are renamed to S3's (InternalFailure -> InternalError ...).
 */
import type { OutgoingResponse } from '../aws/protocols/protocol.ts';
import type { WireError } from '../aws/wire-error.ts';
import { text } from './xml.ts';

const RENAMED: Record<string, { code: string; message?: string }> = {
  InternalFailure: { code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  AccessDeniedException: { code: 'AccessDenied' },
  ThrottlingException: { code: 'SlowDown', message: 'Please reduce your request rate.' },
  RequestEntityTooLargeException: { code: 'EntityTooLarge' },
};

/** The host id S3 sends beside the request id; Longshore has one host, so it is the request id's hash-free echo. */
export function hostIdOf(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

export function writeS3Error(error: WireError, requestId: string): OutgoingResponse {
  const renamed = RENAMED[error.type];
  const code = renamed?.code ?? error.type;
  const message = renamed?.message ?? error.message;
  const status = code === 'SlowDown' ? 503 : error.status;
  let extra = '';
  for (const [name, value] of Object.entries(error.extra ?? {})) {
    if (value === undefined || value === null) continue;
    extra += Array.isArray(value)
      ? value.map((v) => text(name, String(v))).join('')
      : text(name, String(value));
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${text('Code', code)}${text('Message', message)}${extra}${text('RequestId', requestId)}${text('HostId', hostIdOf(requestId))}</Error>`;
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'x-amz-id-2': hostIdOf(requestId),
  };
  const region = error.extra?.Region;
  if (typeof region === 'string') headers['x-amz-bucket-region'] = region;
  if (status === 304) return { status, headers: { 'x-amz-request-id': requestId }, body: '' };
  return { status, headers, body };
}
