/** Calls an operation of Longshore's own API (ExplainPlacement, InterruptSpotTask), signed with the environment's key pair. */
import { signRequest } from '../core/sign-request.ts';
import { LONGSHORE_TARGET_PREFIX } from '../longshore-api/longshore-service.ts';

/** The flags every command over Longshore's API takes. */
export const CALL_FLAGS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function callLongshore(
  operation: string,
  endpoint: string,
  region: string,
  body: object,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): Promise<unknown> {
  const env = process.env;
  const accessKeyId = credentials?.accessKeyId ?? env.LONGSHORE_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey =
    credentials?.secretAccessKey ?? env.LONGSHORE_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the key pair longshore printed');
  const text = JSON.stringify(body);
  const signed = await signRequest({ accessKeyId, secretAccessKey }, region, {
    method: 'POST',
    url: new URL('/', endpoint),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${LONGSHORE_TARGET_PREFIX}.${operation}`,
    },
    body: text,
    now: Date.now(),
  });
  const { host: _host, ...headers } = signed;
  const res = await fetch(new URL('/', endpoint), { method: 'POST', headers, body: text });
  const out = (await res.json()) as { __type?: string; message?: string };
  if (!res.ok) throw new Error(`${out.__type}: ${out.message}`);
  return out;
}
