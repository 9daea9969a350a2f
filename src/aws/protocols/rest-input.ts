/** Reads a REST-JSON request into an operation's input along the http traits of its SDK schema. */
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsErrorCode, ProtocolError } from '../errors.ts';
import { parseJson } from './aws-json.ts';
import type { Call, IncomingRequest } from './protocol.ts';
import { parseText, type TextPlace, walkShape } from './shape-walk.ts';

/** Body members are named by `jsonName` in REST-JSON (AWS JSON 1.x ignores it). */
export function jsonKey(member: NormalizedSchema, name: string): string {
  const jsonName = member.getMergedTraits().jsonName;
  return typeof jsonName === 'string' ? jsonName : name;
}

export function readRestInput(request: IncomingRequest, call: Call): Record<string, unknown> {
  if (!call.model) return parseJson(request.body.toString('utf8'));
  const ns = NormalizedSchema.of(call.model.input);
  const out: Record<string, unknown> = {};
  let body: Record<string, unknown> | undefined;
  const jsonBody = () => {
    body ??= parseJson(request.body.toString('utf8'));
    return body;
  };
  for (const [name, member] of ns.structIterator()) {
    const value = memberValue(member, name, request, call, jsonBody);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function memberValue(
  member: NormalizedSchema,
  name: string,
  request: IncomingRequest,
  call: Call,
  jsonBody: () => Record<string, unknown>,
): unknown {
  const t = member.getMergedTraits();
  if (t.httpLabel) {
    const label = call.labels?.[name];
    return label === undefined ? undefined : text(member, label, 'label', name);
  }
  if (typeof t.httpQuery === 'string') return fromQuery(member, request.query, t.httpQuery);
  if (typeof t.httpHeader === 'string')
    return fromHeader(member, request.headers[t.httpHeader.toLowerCase()]);
  if (typeof t.httpPrefixHeaders === 'string') return prefixHeaders(request.headers, t.httpPrefixHeaders);
  if (t.httpQueryParams) return queryParams(member, request.query, call);
  if (t.httpPayload) return payload(member, request.body);
  return walkShape(member, jsonBody()[jsonKey(member, name)], { leaf: bodyLeafIn, readKey: jsonKey });
}

function fromQuery(member: NormalizedSchema, query: URLSearchParams, key: string): unknown {
  if (!query.has(key)) return undefined;
  if (member.isListSchema())
    return query.getAll(key).map((v) => text(member.getValueSchema(), v, 'query', key));
  return text(member, query.get(key)!, 'query', key);
}

function fromHeader(member: NormalizedSchema, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  if (member.isListSchema()) {
    return value.split(',').map((v) => text(member.getValueSchema(), v.trim(), 'header', value));
  }
  return text(member, value, 'header', value);
}

function prefixHeaders(headers: Record<string, string>, prefix: string): Record<string, string> | undefined {
  const p = prefix.toLowerCase();
  const found = Object.entries(headers).filter(([k]) => k.startsWith(p));
  return found.length > 0 ? Object.fromEntries(found.map(([k, v]) => [k.slice(p.length), v])) : undefined;
}

/** httpQueryParams: every query parameter no httpQuery member binds. */
function queryParams(member: NormalizedSchema, query: URLSearchParams, call: Call): Record<string, unknown> {
  const bound = new Set<string>();
  for (const [, m] of NormalizedSchema.of(call.model!.input).structIterator()) {
    const key = m.getMergedTraits().httpQuery;
    if (typeof key === 'string') bound.add(key);
  }
  const list = member.getValueSchema().isListSchema();
  const keys = [...new Set(query.keys())].filter((k) => !bound.has(k));
  return Object.fromEntries(keys.map((k) => [k, list ? query.getAll(k) : query.get(k)]));
}

function payload(member: NormalizedSchema, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  if (member.isBlobSchema()) return body.toString('base64');
  if (member.isStringSchema()) return body.toString('utf8');
  return walkShape(member, parseJson(body.toString('utf8')), { leaf: bodyLeafIn, readKey: jsonKey });
}

function text(ns: NormalizedSchema, value: string, place: TextPlace, where: string): unknown {
  const parsed = parseText(ns, value, place);
  if (parsed === undefined) {
    throw new ProtocolError(
      AwsErrorCode.SerializationException,
      `Value '${value}' at '${where}' can not be converted to its type.`,
    );
  }
  return parsed;
}

/** Body timestamps are epoch seconds unless the member's format says text (parsed here). */
function bodyLeafIn(ns: NormalizedSchema, value: unknown): unknown {
  if (ns.isTimestampSchema() && typeof value === 'string') return parseText(ns, value, 'query') ?? value;
  return value;
}
