/**
 * The errors the gateway raises about operations: unknown, not implemented, missing required
 * members, throttled; each in the service's own words when it declares them (`gatewayErrors`).
 */
import { ServiceError } from '../core/errors.ts';
import { AwsErrorCode, fallbackStatus, ProtocolError } from './errors.ts';
import { coralPath, type MemberPath } from './input/normalize-input.ts';
import { ProtocolName } from './protocols/protocol.ts';
import { queryParameterName } from './protocols/query-input.ts';
import type { AwsService } from './service.ts';
import { MissingMembersError } from './validate-input.ts';

/** Where the coverage doc of a service lives (docs/api-coverage.md is ECS's, the first one). */
export function coverageDocPath(serviceName: string): string {
  return serviceName === 'ecs' ? 'docs/api-coverage.md' : `docs/api-coverage-${serviceName}.md`;
}

/**
 * An operation of the official model that Longshore does not serve yet: ECS's
 * UnsupportedFeatureException, for every service and protocol, so a client fails loudly and the
 * message says where to look.
 */
export function notImplemented(service: AwsService, operation: string): ServiceError {
  return new ProtocolError(
    AwsErrorCode.NotImplemented,
    `Longshore does not implement ${operation} yet; ${coverageDocPath(service.name)} lists what it implements.`,
  );
}

/**
 * An operation the service does not have. REST and RPC v2 CBOR name operations in the path, so an
 * unknown one is a 404; AWS JSON answers 400 (Query's InvalidAction comes from wire-error.ts).
 * A service with its own wording (`gatewayErrors.unknownOperation`) keeps the protocol's status.
 */
export function unknownOperation(
  protocol: ProtocolName,
  operation: string,
  service?: AwsService,
): ServiceError {
  const status = protocol === ProtocolName.RestJson1 || protocol === ProtocolName.RpcV2Cbor ? 404 : 400;
  const own = service?.gatewayErrors?.unknownOperation;
  if (own) return new ProtocolError(own.type, own.message(operation), status);
  if (protocol === ProtocolName.AwsQuery || protocol === ProtocolName.Ec2Query) {
    const version = service?.query?.version;
    return new ProtocolError(
      AwsErrorCode.UnknownOperation,
      `Could not find operation ${operation}${version ? ` for version ${version}` : ''}`,
    );
  }
  return new ProtocolError(AwsErrorCode.UnknownOperation, `Unknown operation ${operation}`, status);
}

/** A request over its throttle bucket: ThrottlingException "Rate exceeded", or the service's own. */
export function throttled(service: AwsService): ServiceError {
  const own = service.gatewayErrors?.throttling;
  if (own) return new ProtocolError(own.type, own.message, own.status);
  return new ProtocolError(AwsErrorCode.Throttling, 'Rate exceeded');
}

/**
 * validateInput reports missing required members as ECS's InvalidParameterException; services
 * whose model names another error for it (ValidationException, MissingParameter ...) declare it,
 * and a service that words it its own way (`gatewayErrors.missingParameter`) gets the first
 * missing member named as its protocol sends it.
 */
export function asServiceValidationError(error: unknown, service: AwsService): unknown {
  if (!(error instanceof ServiceError) || error.code !== AwsErrorCode.InvalidParameter) return error;
  const own = service.gatewayErrors?.missingParameter;
  if (own && error instanceof MissingMembersError && error.missing.length > 0) {
    return new ProtocolError(own.type, own.message(parameterName(error.missing[0], service)));
  }
  if (!service.validationError) return error;
  return new ProtocolError(service.validationError, error.message, fallbackStatus(error), error.extra);
}

/** A member's name as the service's preferred protocol sends it. */
function parameterName(path: MemberPath, service: AwsService): string {
  const protocol = service.protocols[0];
  if (protocol === ProtocolName.Ec2Query) return queryParameterName(path, 'ec2');
  if (protocol === ProtocolName.AwsQuery) return queryParameterName(path, 'query');
  return coralPath(path);
}
