/**
 * The SDK's own protocol classes as the oracle for the gateway's codecs, without HTTP: the SDK
 * serializes a request that a protocol module then reads, and parses what a protocol module wrote.
 */
import { HttpResponse } from '@smithy/core/protocols';
import { operation } from '@smithy/core/schema';
import { fromBase64, fromUtf8, toBase64, toUtf8 } from '@smithy/core/serde';
import type { IncomingRequest, OutgoingResponse } from '../../src/aws/protocols/protocol.ts';

/** What the SDK's protocol classes have in common here. */
export interface SdkProtocol {
  setSerdeContext(context: unknown): void;
  serializeRequest(op: unknown, input: object, context: unknown): Promise<SdkHttpRequest>;
  deserializeResponse(op: unknown, context: unknown, response: HttpResponse): Promise<unknown>;
}

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const SERDE = {
  base64Encoder: toBase64,
  base64Decoder: fromBase64,
  utf8Encoder: toUtf8,
  utf8Decoder: fromUtf8,
  streamCollector: async (body: Uint8Array) => body,
  endpoint: async () => ({ protocol: 'http:', hostname: 'localhost', path: '/' }),
};

/** An SDK protocol instance ready to use (`new AwsQueryProtocol({...})` ...). */
export function ready<P extends SdkProtocol>(protocol: P): P {
  protocol.setSerdeContext(SERDE);
  return protocol;
}

/** The operation schema the SDK's middleware builds from an exported `Op$` static schema. */
export function operationOf(staticSchema: unknown): unknown {
  const [, namespace, name, traits, input, output] = staticSchema as unknown[];
  return operation(namespace as string, name as string, traits as never, input as never, output as never);
}

/** The request the SDK would send for `input`, as the gateway reads requests. */
export async function sdkRequest(
  protocol: SdkProtocol,
  op: unknown,
  input: object,
): Promise<IncomingRequest> {
  const request = await protocol.serializeRequest(operationOf(op), input, SERDE);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v ?? '']) query.append(k, item);
  }
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  return { method: request.method, path: request.path, query, headers, body };
}

/** What the SDK makes of a response a protocol module wrote. */
export async function sdkParse(
  protocol: SdkProtocol,
  op: unknown,
  answer: OutgoingResponse,
): Promise<unknown> {
  const response = new HttpResponse({
    statusCode: answer.status,
    headers: Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body,
  });
  const { $metadata: _m, ...out } = (await protocol.deserializeResponse(
    operationOf(op),
    SERDE,
    response,
  )) as Record<string, unknown>;
  return out;
}

/** The AWS JSON form of an SDK value: Dates as epoch seconds, bytes as base64. */
export function jsonForm(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonForm);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, jsonForm(v)]),
    );
  }
  return value;
}
