/** AWS JSON 1.0 and 1.1: `POST /` with `X-Amz-Target: Prefix.Operation`, JSON bodies both ways. */
import { AwsErrorCode, ProtocolError } from '../errors.ts';
import { queryFaultName, type WireError } from '../wire-error.ts';
import {
  type Call,
  type IncomingRequest,
  type OutgoingResponse,
  type Protocol,
  ProtocolName,
} from './protocol.ts';

/** The operation an AWS JSON request names: `{prefix, operation}`, or undefined without the header. */
export function jsonTarget(request: IncomingRequest): { prefix: string; operation: string } | undefined {
  const target = request.headers['x-amz-target'];
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  return { prefix: target.slice(0, Math.max(dot, 0)), operation: target.slice(dot + 1) };
}

/** Parses a request body; an empty body is `{}` (the SDK sends one for input-less operations). */
export function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ProtocolError(AwsErrorCode.SerializationException, 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(
      AwsErrorCode.SerializationException,
      'Start of structure or map expected at the top of the request body.',
    );
  }
  return value as Record<string, unknown>;
}

function jsonProtocol(name: typeof ProtocolName.AwsJson1_0 | typeof ProtocolName.AwsJson1_1): Protocol {
  const contentType =
    name === ProtocolName.AwsJson1_0 ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  return {
    name,
    readInput: (request: IncomingRequest) => parseJson(request.body.toString('utf8')),
    writeOutput: (output: unknown) => jsonResponse(200, {}, output ?? {}, contentType),
    writeError(error: WireError, call: Call): OutgoingResponse {
      const headers: Record<string, string> = { 'x-amzn-ErrorType': error.type };
      // Services that left Query keep its codes for old clients (Smithy's awsQueryCompatible).
      if (call.service?.awsQueryCompatible)
        headers['x-amzn-query-error'] = `${error.code};${queryFaultName(error)}`;
      const body = { __type: error.type, message: error.message, ...error.extra };
      return jsonResponse(error.status, headers, body, contentType);
    },
  };
}

function jsonResponse(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  contentType: string,
): OutgoingResponse {
  return { status, headers: { ...headers, 'content-type': contentType }, body: JSON.stringify(body) };
}

export const awsJson1_0 = jsonProtocol(ProtocolName.AwsJson1_0);
export const awsJson1_1 = jsonProtocol(ProtocolName.AwsJson1_1);
