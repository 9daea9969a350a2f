/** What every protocol module works on: the request as read, the response to write, and the Protocol contract. */
import type { AwsService, OperationModel } from '../service.ts';
import type { WireError } from '../wire-error.ts';

/** The AWS wire protocols the gateway speaks, by their Smithy names. */
export const ProtocolName = {
  AwsJson1_0: 'awsJson1_0',
  AwsJson1_1: 'awsJson1_1',
  AwsQuery: 'awsQuery',
  Ec2Query: 'ec2Query',
  RestJson1: 'restJson1',
  RpcV2Cbor: 'rpcv2Cbor',
} as const;
export type ProtocolName = (typeof ProtocolName)[keyof typeof ProtocolName];

/** An HTTP request as the gateway read it (the body whole, within the size limit). */
export interface IncomingRequest {
  method: string;
  /** Path as sent, percent-encoded, without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case; repeated headers joined with `,`. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What a protocol answers: the gateway writes it as is. */
export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** One call as the dispatcher found it: which service, which operation, and what the route bound. */
export interface Call {
  requestId: string;
  /** Undefined when the request named no service the gateway serves. */
  service?: AwsService;
  /** The operation name the request asked for (it may be unknown to the service). */
  operation?: string;
  /** The operation's schemas from the official model, when the service has one. */
  model?: OperationModel;
  /** REST-JSON: the URI labels the route matched, percent-decoded. */
  labels?: Record<string, string>;
  /** AWS Query: the decoded form parameters. */
  params?: URLSearchParams;
}

/**
 * A wire protocol: reads an operation's input from a request and writes its output or an error.
 * Input comes out in the AWS JSON form every handler reads (timestamps as epoch seconds, blobs as
 * base64 text), whatever the wire carried; output goes in in that form too.
 */
export interface Protocol {
  readonly name: ProtocolName;
  /** The operation's input, not yet validated (validateInput runs next). */
  readInput(request: IncomingRequest, call: Call): Record<string, unknown>;
  writeOutput(output: unknown, call: Call): OutgoingResponse;
  writeError(error: WireError, call: Call): OutgoingResponse;
}
