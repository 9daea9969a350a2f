/** The errors the gateway raises about operations: unknown, not implemented, missing required members. */
import { ServiceError } from '../core/errors.ts';
import { AwsErrorCode, fallbackStatus, ProtocolError } from './errors.ts';
import { ProtocolName } from './protocols/protocol.ts';
import type { AwsService } from './service.ts';

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
 */
export function unknownOperation(
  protocol: ProtocolName,
  operation: string,
  service?: AwsService,
): ServiceError {
  if (protocol === ProtocolName.AwsQuery || protocol === ProtocolName.Ec2Query) {
    const version = service?.query?.version;
    return new ProtocolError(
      AwsErrorCode.UnknownOperation,
      `Could not find operation ${operation}${version ? ` for version ${version}` : ''}`,
    );
  }
  const status = protocol === ProtocolName.RestJson1 || protocol === ProtocolName.RpcV2Cbor ? 404 : 400;
  return new ProtocolError(AwsErrorCode.UnknownOperation, `Unknown operation ${operation}`, status);
}

/**
 * validateInput reports missing required members as ECS's InvalidParameterException; services
 * whose model names another error for it (ValidationException, MissingParameter ...) declare it.
 */
export function asServiceValidationError(error: unknown, service: AwsService): unknown {
  if (
    !(error instanceof ServiceError) ||
    error.code !== AwsErrorCode.InvalidParameter ||
    !service.validationError
  ) {
    return error;
  }
  return new ProtocolError(service.validationError, error.message, fallbackStatus(error), error.extra);
}
