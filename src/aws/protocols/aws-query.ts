/** AWS Query and EC2 Query: `Action=Op&Version=V&...` form parameters in, XML out. */
import { NormalizedSchema } from '@smithy/core/schema';
import { queryFaultName, type WireError } from '../wire-error.ts';
import {
  type Call,
  type IncomingRequest,
  type OutgoingResponse,
  type Protocol,
  ProtocolName,
} from './protocol.ts';
import { type QueryDialect, readQueryInput } from './query-input.ts';
import { escapeXml, tag, xmlMembers } from './xml-writer.ts';

const FORM = 'application/x-www-form-urlencoded';

/** Whether a request is a Query call: a form POST, or any request with `Action` in its query string. */
export function isQueryRequest(request: IncomingRequest): boolean {
  return (request.method === 'POST' && isForm(request)) || request.query.has('Action');
}

/** The parameters of a Query call: the query string's, then the form body's. */
export function queryParams(request: IncomingRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  if (request.method === 'POST' && isForm(request)) {
    for (const [k, v] of new URLSearchParams(request.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

function isForm(request: IncomingRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
}

/**
 * awsQuery answers `<OpResponse><OpResult>...</OpResult><ResponseMetadata>` and errors as
 * `<ErrorResponse>`; EC2 Query puts members and `<requestId>` directly under `<OpResponse>` and
 * answers errors as `<Response><Errors>`.
 */
function queryProtocol(dialect: QueryDialect): Protocol {
  const name = dialect === 'ec2' ? ProtocolName.Ec2Query : ProtocolName.AwsQuery;
  return {
    name,
    readInput(_request: IncomingRequest, call: Call): Record<string, unknown> {
      if (!call.model || !call.params) return {};
      return readQueryInput(call.params, call.model.input, dialect);
    },
    writeOutput(output: unknown, call: Call): OutgoingResponse {
      const op = call.operation ?? '';
      const schema = call.model ? NormalizedSchema.of(call.model.output) : undefined;
      const members = schema?.isStructSchema() ? xmlMembers(schema, output) : '';
      const body =
        dialect === 'ec2'
          ? tag('requestId', escapeXml(call.requestId)) + members
          : // An output structure, even one without members (ELBv2's RegisterTargetsOutput), is
            // wrapped in <OpResult>, which botocore requires; an operation without output (unit) has none.
            (schema?.isStructSchema() ? tag(`${op}Result`, members) : '') +
            tag('ResponseMetadata', tag('RequestId', escapeXml(call.requestId)));
      return xmlResponse(200, tag(`${op}Response`, body, namespace(call)));
    },
    writeError(error: WireError, call: Call): OutgoingResponse {
      const code = tag('Code', escapeXml(error.code));
      const message = tag('Message', escapeXml(error.message));
      if (dialect === 'ec2') {
        const errors = tag('Errors', tag('Error', code + message));
        return xmlResponse(
          error.status,
          tag('Response', errors + tag('RequestID', escapeXml(call.requestId))),
        );
      }
      const detail = tag('Error', tag('Type', queryFaultName(error)) + code + message);
      const body = detail + tag('RequestId', escapeXml(call.requestId));
      return xmlResponse(error.status, tag('ErrorResponse', body, namespace(call)));
    },
  };
}

function namespace(call: Call): string {
  const ns = call.service?.query?.xmlNamespace;
  return ns ? ` xmlns="${escapeXml(ns)}"` : '';
}

function xmlResponse(status: number, xml: string): OutgoingResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body: xml };
}

export const awsQuery = queryProtocol('query');
export const ec2Query = queryProtocol('ec2');
