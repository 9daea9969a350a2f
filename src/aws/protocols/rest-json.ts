/** REST-JSON (restJson1): routes by method and URI template, members bound by http traits, JSON bodies. */
import { NormalizedSchema } from '@smithy/core/schema';
import type { WireError } from '../wire-error.ts';
import { type Call, type OutgoingResponse, type Protocol, ProtocolName } from './protocol.ts';
import { jsonKey, readRestInput } from './rest-input.ts';
import { formatText, isRecord, walkShape } from './shape-walk.ts';

/**
 * Routing is rest-routes.ts, input binding rest-input.ts; output members go to headers, the
 * status code, a payload or the JSON body as their traits say; errors carry `x-amzn-ErrorType`
 * and a JSON body.
 */
export const restJson1: Protocol = {
  name: ProtocolName.RestJson1,
  readInput: readRestInput,
  writeOutput(output: unknown, call: Call): OutgoingResponse {
    let status = call.model?.http?.code ?? 200;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!call.model || !isRecord(output)) return { status, headers, body: JSON.stringify(output ?? {}) };
    const ns = NormalizedSchema.of(call.model.output);
    const json: Record<string, unknown> = {};
    let payloadBody: string | Uint8Array | undefined;
    let hasBodyMembers = false;
    for (const [name, member] of ns.structIterator()) {
      const t = member.getMergedTraits();
      const v = output[name];
      if (typeof t.httpHeader === 'string') {
        if (v !== undefined && v !== null) headers[t.httpHeader.toLowerCase()] = headerText(member, v);
      } else if (typeof t.httpPrefixHeaders === 'string') {
        if (isRecord(v))
          for (const [k, x] of Object.entries(v))
            headers[`${t.httpPrefixHeaders}${k}`.toLowerCase()] = String(x);
      } else if (t.httpResponseCode) {
        if (typeof v === 'number') status = v;
      } else if (t.httpPayload) {
        if (v !== undefined && v !== null) payloadBody = payloadOut(member, v);
      } else {
        hasBodyMembers = true;
        if (v !== undefined && v !== null)
          json[jsonKey(member, name)] = walkShape(member, v, { leaf: bodyLeafOut, writeKey: jsonKey });
      }
    }
    const body = payloadBody ?? (hasBodyMembers ? JSON.stringify(json) : '');
    return { status, headers, body };
  },
  writeError(error: WireError): OutgoingResponse {
    return {
      status: error.status,
      headers: { 'x-amzn-ErrorType': error.type, 'content-type': 'application/json' },
      body: JSON.stringify({ message: error.message, ...error.extra }),
    };
  },
};

function payloadOut(member: NormalizedSchema, value: unknown): string | Uint8Array {
  if (member.isBlobSchema()) return Buffer.from(String(value), 'base64');
  if (typeof value === 'string') return value;
  return JSON.stringify(walkShape(member, value, { leaf: bodyLeafOut, writeKey: jsonKey }));
}

function headerText(ns: NormalizedSchema, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => formatText(ns.getValueSchema(), v, 'header')).join(', ');
  return formatText(ns, value, 'header');
}

function bodyLeafOut(ns: NormalizedSchema, value: unknown): unknown {
  if (!ns.isTimestampSchema() || typeof value !== 'number') return value;
  const id = ns.getSchema();
  return id === 5 || id === 6 ? formatText(ns, value, 'query') : value;
}
