/**
 * Puts a fuzzed input on the wire in a protocol the service speaks: AWS JSON (`X-Amz-Target`),
 * AWS Query (a form body, flattened along the schema) or REST-JSON (the operation's route, with
 * labels, query and header members bound). The input may be anything: members of the wrong type
 * are flattened as they are, so they reach the server's decoding.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import type { AwsService, Operation } from '../../../src/aws/service.ts';
import { rootShape } from './shapes.ts';

export interface HttpRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** A fuzzed request: an input to encode, or a body sent as is. */
export type Payload = { input: Record<string, unknown> } | { raw: string | Uint8Array };

export type Encoder = ((
  operation: Operation,
  payload: Payload,
  valid: Record<string, unknown>,
) => HttpRequest) & {
  protocol: string;
};

/** The encoder for the first protocol of `service` the fuzz can write; undefined for none. */
export function encoderFor(service: AwsService): Encoder | undefined {
  for (const protocol of service.protocols) {
    const named = (encode: Encode): Encoder => Object.assign(encode, { protocol });
    if ((protocol === 'awsJson1_0' || protocol === 'awsJson1_1') && service.targetPrefix) {
      return named(awsJson(service.targetPrefix, protocol === 'awsJson1_0' ? '1.0' : '1.1'));
    }
    if ((protocol === 'awsQuery' || protocol === 'ec2Query') && service.query) {
      return named(awsQuery(service.query.version, protocol === 'ec2Query'));
    }
    if (protocol === 'restJson1' && service.model) return named(restJson(service));
  }
  return undefined;
}

type Encode = (...args: Parameters<Encoder>) => HttpRequest;

function awsJson(targetPrefix: string, version: string): Encode {
  return (operation, payload) => ({
    method: 'POST',
    path: '/',
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      'x-amz-target': `${targetPrefix}.${operation.name}`,
    },
    body: 'raw' in payload ? payload.raw : JSON.stringify(payload.input),
  });
}

function awsQuery(version: string, ec2: boolean): Encode {
  return (operation, payload) => {
    let body: string | Uint8Array;
    if ('raw' in payload) body = payload.raw;
    else {
      const params = new URLSearchParams({ Action: operation.name, Version: version });
      const shape = operation.input ? rootShape(operation.input) : undefined;
      flatten(shape, payload.input, '', params, ec2);
      body = params.toString();
    }
    return {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    };
  };
}

/** awsQuery's flattening (`Tags.member.1.Key=k`) where the value fits the shape, plain nesting where not. */
function flatten(
  ns: NormalizedSchema | undefined,
  value: unknown,
  prefix: string,
  out: URLSearchParams,
  ec2: boolean,
): void {
  if (value === null || value === undefined) return;
  const key = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (Array.isArray(value)) {
    const item = ns?.isListSchema() ? ns.getValueSchema() : undefined;
    const flat = ec2 || !!ns?.getMergedTraits().xmlFlattened;
    if (value.length === 0) out.append(prefix, '');
    value.forEach((v, i) => {
      flatten(item, v, key(flat ? `${i + 1}` : `member.${i + 1}`), out, ec2);
    });
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (ns?.isMapSchema()) {
      entries.forEach(([k, v], i) => {
        out.append(key(`entry.${i + 1}.key`), k);
        flatten(ns.getValueSchema(), v, key(`entry.${i + 1}.value`), out, ec2);
      });
      return;
    }
    const members = ns?.isStructSchema() ? new Map(ns.structIterator()) : new Map<string, NormalizedSchema>();
    for (const [name, v] of entries) {
      const member = members.get(name);
      flatten(member, v, key(member ? queryName(member, name, ec2) : name), out, ec2);
    }
    return;
  }
  out.append(prefix, String(value));
}

function queryName(member: NormalizedSchema, name: string, ec2: boolean): string {
  const traits = member.getMergedTraits();
  if (ec2 && typeof traits.ec2QueryName === 'string') return traits.ec2QueryName;
  const base = typeof traits.xmlName === 'string' ? traits.xmlName : name;
  return ec2 ? base.charAt(0).toUpperCase() + base.slice(1) : base;
}

function restJson(service: AwsService): Encode {
  return (operation, payload, valid) => {
    const http = service.model?.operations.get(operation.name)?.http;
    const input = 'input' in payload ? payload.input : valid;
    const shape = operation.input ? rootShape(operation.input) : undefined;
    const members = new Map(shape?.structIterator() ?? []);
    const [template, literalQuery = ''] = (http?.uri ?? '/').split('?');
    const query = new URLSearchParams(literalQuery);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const body: Record<string, unknown> = {};
    let payloadBody: unknown;
    for (const [name, value] of Object.entries(input)) {
      const traits = members.get(name)?.getMergedTraits() ?? {};
      if (traits.httpLabel) continue;
      if (typeof traits.httpQuery === 'string') {
        for (const v of Array.isArray(value) ? value : [value])
          if (v !== null) query.append(traits.httpQuery, text(v));
      } else if (typeof traits.httpHeader === 'string') {
        if (value !== null) headers[traits.httpHeader.toLowerCase()] = text(value).replace(/[\r\n]/g, ' ');
      } else if (traits.httpPayload) payloadBody = value;
      else body[typeof traits.jsonName === 'string' ? traits.jsonName : name] = value;
    }
    // Labels fill the URI template; a missing or null one leaves its segment empty.
    const path = template.replace(/\{([^}+]+)(\+?)\}/g, (_, label: string, greedy: string) => {
      const value = input[label];
      const t = value === null || value === undefined ? '' : text(value);
      return greedy ? t.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(t);
    });
    const search = query.toString();
    return {
      method: http?.method ?? 'POST',
      path: search ? `${path}?${search}` : path,
      headers,
      body:
        'raw' in payload
          ? payload.raw
          : (JSON.stringify(payloadBody === undefined ? body : payloadBody) ?? ''),
    };
  };
}

function text(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
