/** Finds which service and protocol a request speaks: CBOR path, X-Amz-Target, Query form, REST route. */
import type { ServiceError } from '../core/errors.ts';
import { AwsErrorCode, ProtocolError } from './errors.ts';
import { awsJson1_0, awsJson1_1, jsonTarget } from './protocols/aws-json.ts';
import { awsQuery, ec2Query, isQueryRequest, queryParams } from './protocols/aws-query.ts';
import type { Call, IncomingRequest, Protocol } from './protocols/protocol.ts';
import { ProtocolName } from './protocols/protocol.ts';
import { restJson1 } from './protocols/rest-json.ts';
import { compileRoute, matchRoute, sortRoutes } from './protocols/rest-routes.ts';
import { cborTarget, rpcV2Cbor } from './protocols/rpc-v2-cbor.ts';
import type { AwsService } from './service.ts';

/** What the dispatcher found: a call to run, or an error to answer in the protocol's shape. */
export type Dispatch =
  | {
      type: 'call';
      protocol: Protocol;
      call: Omit<Call, 'requestId'> & { service: AwsService; operation: string };
    }
  | { type: 'rejected'; protocol: Protocol; service?: AwsService; error: ServiceError };

const speaks = (service: AwsService, protocol: ProtocolName) => service.protocols.includes(protocol);

/**
 * The dispatcher for `services`. Order, first match wins: RPC v2 CBOR (path and `smithy-protocol`
 * header), AWS JSON (`X-Amz-Target`), Query (a form POST or `Action` in the query string), REST-JSON
 * routes; a request none of them claims gets AWS JSON's 404.
 */
export function createDispatcher(services: readonly AwsService[]): (request: IncomingRequest) => Dispatch {
  const byPrefix = new Map(services.filter((s) => s.targetPrefix).map((s) => [s.targetPrefix!, s]));
  const bySmithyName = new Map(services.filter((s) => s.smithyService).map((s) => [s.smithyService!, s]));
  const queryServices = services.filter(
    (s) => speaks(s, ProtocolName.AwsQuery) || speaks(s, ProtocolName.Ec2Query),
  );
  const routes = sortRoutes(
    services
      .filter((s) => speaks(s, ProtocolName.RestJson1))
      .flatMap((s) =>
        [...(s.model?.operations.values() ?? [])].flatMap((op) =>
          op.http ? [compileRoute(s, op.name, op.http)] : [],
        ),
      ),
  );
  const call = (
    protocol: Protocol,
    service: AwsService,
    operation: string,
    extra: Partial<Call> = {},
  ): Dispatch => ({
    type: 'call',
    protocol,
    call: { service, operation, model: service.model?.operations.get(operation), ...extra },
  });
  const reject = (protocol: Protocol, message: string, status = 400, service?: AwsService): Dispatch => ({
    type: 'rejected',
    protocol,
    service,
    error: new ProtocolError(AwsErrorCode.UnknownOperation, message, status),
  });

  return (request) => {
    const cbor = cborTarget(request);
    if (cbor) {
      const service = bySmithyName.get(cbor.service);
      if (!service || !speaks(service, ProtocolName.RpcV2Cbor)) {
        return reject(
          rpcV2Cbor,
          `Longshore serves no service ${cbor.service} over RPC v2 CBOR.`,
          404,
          service,
        );
      }
      return call(rpcV2Cbor, service, cbor.operation);
    }
    const target = jsonTarget(request);
    if (target) {
      const service = byPrefix.get(target.prefix);
      const json10 = service
        ? speaks(service, ProtocolName.AwsJson1_0)
        : /json-1\.0/.test(request.headers['content-type'] ?? '');
      const protocol = json10 ? awsJson1_0 : awsJson1_1;
      if (request.method !== 'POST')
        return reject(protocol, 'AWS JSON requests are POST / with an X-Amz-Target header.', 404);
      if (!service) return reject(protocol, `Unknown target: ${request.headers['x-amz-target']}`);
      if (!speaks(service, ProtocolName.AwsJson1_0) && !speaks(service, ProtocolName.AwsJson1_1)) {
        return reject(protocol, `${service.name} does not accept AWS JSON requests.`, 400, service);
      }
      return call(protocol, service, target.operation);
    }
    if (isQueryRequest(request)) return dispatchQuery(request);
    const scope = scopeService(request);
    const matches = routes.flatMap((route) => {
      const labels = matchRoute(route, request);
      return labels ? [{ route, labels }] : [];
    });
    const match = matches.find((m) => m.route.service.signingName === scope) ?? matches[0];
    if (match) return call(restJson1, match.route.service, match.route.operation, { labels: match.labels });
    // Signed for a REST service but matching none of its routes: that service's 404, REST-shaped.
    const restService = services.find((s) => s.signingName === scope && speaks(s, ProtocolName.RestJson1));
    if (restService) {
      return reject(
        restJson1,
        `No ${restService.name} operation is ${request.method} ${request.path}.`,
        404,
        restService,
      );
    }
    return reject(
      awsJson1_1,
      'Longshore accepts AWS requests: AWS JSON (POST / with X-Amz-Target), Query (Action=...), REST-JSON and RPC v2 CBOR routes of the services it serves.',
      404,
    );
  };

  function dispatchQuery(request: IncomingRequest): Dispatch {
    const params = queryParams(request);
    const version = params.get('Version') ?? undefined;
    const scope = scopeService(request);
    const service =
      queryServices.find((s) => s.signingName === scope) ??
      queryServices.find((s) => version !== undefined && s.query?.version === version) ??
      (queryServices.length === 1 ? queryServices[0] : undefined);
    const protocol = service && speaks(service, ProtocolName.Ec2Query) ? ec2Query : awsQuery;
    if (!service) {
      return reject(
        awsQuery,
        'Longshore serves no Query service for this request: sign it for the service, or send its Version.',
      );
    }
    const action = params.get('Action');
    if (!action)
      return {
        type: 'rejected',
        protocol,
        service,
        error: queryError('MissingAction', 'The request is missing an action or a required parameter.'),
      };
    if (version !== undefined && version !== service.query?.version) {
      const error = queryError(
        'NoSuchVersion',
        `The requested version (${version}) of service ${service.name} does not exist.`,
      );
      return { type: 'rejected', protocol, service, error };
    }
    return call(protocol, service, action, { params });
  }
}

function queryError(code: string, message: string): ServiceError {
  return new ProtocolError(code as string, message);
}

/** The service a request's SigV4 credential scope names (`AKID/20260101/us-east-1/sts/aws4_request`). */
export function scopeService(request: IncomingRequest): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ??
    request.query.get('X-Amz-Credential') ??
    '';
  return credential.split('/')[3];
}
