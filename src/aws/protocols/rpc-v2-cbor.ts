/** Smithy RPC v2 CBOR: `POST /service/{Service}/operation/{Op}`, CBOR both ways with @smithy/core's codec. */
import { cbor, tag } from '@smithy/core/cbor';
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsErrorCode, ProtocolError } from '../errors.ts';
import { queryFaultName, type WireError } from '../wire-error.ts';
import {
  type Call,
  type IncomingRequest,
  type OutgoingResponse,
  type Protocol,
  ProtocolName,
} from './protocol.ts';
import { isRecord, walkShape } from './shape-walk.ts';

const HEADERS = { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' };
/** CBOR tag 1: epoch-based date/time, how rpcv2Cbor carries timestamps. */
const EPOCH_TAG = 1;

/** `{service, operation}` when the request is an RPC v2 CBOR call (path and header both say so). */
export function cborTarget(request: IncomingRequest): { service: string; operation: string } | undefined {
  if (request.headers['smithy-protocol'] !== 'rpc-v2-cbor') return undefined;
  const m = /\/service\/([^/]+)\/operation\/([^/]+)$/.exec(request.path);
  return m ? { service: safeDecode(m[1]), operation: safeDecode(m[2]) } : undefined;
}

/** A name as sent when its percent-encoding is broken: it then matches no service or operation. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Requests carry `smithy-protocol: rpc-v2-cbor`; answers too. Errors are a CBOR map whose `__type`
 * is the error's shape id.
 */
export const rpcV2Cbor: Protocol = {
  name: ProtocolName.RpcV2Cbor,
  readInput(request: IncomingRequest, call: Call): Record<string, unknown> {
    if (request.body.length === 0) return {};
    let value: unknown;
    try {
      value = cbor.deserialize(request.body);
    } catch {
      throw new ProtocolError(AwsErrorCode.SerializationException, 'The request body is not valid CBOR.');
    }
    if (!isRecord(value)) {
      throw new ProtocolError(
        AwsErrorCode.SerializationException,
        'Start of structure or map expected at the top of the request body.',
      );
    }
    if (!call.model) return value;
    return walkShape(NormalizedSchema.of(call.model.input), value, { leaf: fromCbor }) as Record<
      string,
      unknown
    >;
  },
  writeOutput(output: unknown, call: Call): OutgoingResponse {
    const schema = call.model ? NormalizedSchema.of(call.model.output) : undefined;
    // Smithy: an operation whose output is Unit answers with an empty body.
    if (schema?.isUnitSchema())
      return { status: 200, headers: { 'smithy-protocol': 'rpc-v2-cbor' }, body: '' };
    const value = schema ? walkShape(schema, output ?? {}, { leaf: toCbor }) : (output ?? {});
    return { status: 200, headers: { ...HEADERS }, body: cbor.serialize(value) };
  },
  writeError(error: WireError, call: Call): OutgoingResponse {
    // Errors of the model go by their shape id; the gateway's own (UnknownOperationException,
    // SerializationException ...) by their bare name, which the SDK maps to a generic error.
    const model = call.service?.model;
    const namespace = model?.errors.has(error.type) ? model.namespace : undefined;
    const body = {
      __type: namespace ? `${namespace}#${error.type}` : error.type,
      message: error.message,
      ...error.extra,
    };
    const headers: Record<string, string> = { ...HEADERS };
    if (call.service?.awsQueryCompatible)
      headers['x-amzn-query-error'] = `${error.code};${queryFaultName(error)}`;
    return { status: error.status, headers, body: cbor.serialize(body) };
  },
};

/** CBOR -> JSON form: tag-1 dates become epoch seconds, byte strings base64, big integers numbers. */
function fromCbor(ns: NormalizedSchema, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array && !ns.isDocumentSchema()) return Buffer.from(value).toString('base64');
  if (isTag(value) && value.tag === EPOCH_TAG && ns.isTimestampSchema()) return fromCbor(ns, value.value);
  return value;
}

/** JSON form -> CBOR: epoch seconds become tag-1 dates, base64 blobs byte strings. */
function toCbor(ns: NormalizedSchema, value: unknown): unknown {
  if (ns.isTimestampSchema() && typeof value === 'number') return tag({ tag: EPOCH_TAG, value });
  if (ns.isBlobSchema() && typeof value === 'string') return Buffer.from(value, 'base64');
  return value;
}

function isTag(value: unknown): value is { tag: number | bigint; value: unknown } {
  return typeof value === 'object' && value !== null && 'tag' in value && 'value' in value;
}
