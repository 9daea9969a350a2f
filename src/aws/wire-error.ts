/** The one place where a domain error becomes a wire error: type, Query code, HTTP status and fault. */
import type { ServiceError } from '../core/errors.ts';
import { AwsErrorCode, fallbackStatus, ProtocolError } from './errors.ts';
import { ProtocolName } from './protocols/protocol.ts';
import type { AwsService } from './service.ts';

/** An error as every protocol writes it; protocol modules only lay it out. */
export interface WireError {
  /** The error type JSON, REST-JSON and CBOR answers name (the model's shape name). */
  type: string;
  /** The code Query answers name (and `x-amzn-query-error` carries). */
  code: string;
  status: number;
  fault: 'client' | 'server';
  message: string;
  /** Extra members of the error shape, e.g. `resourceIds` on ECS's ConflictException. */
  extra?: Readonly<Record<string, unknown>>;
}

interface Answer {
  code: string;
  status: number;
}

/**
 * Query services (STS, IAM, ELBv2, EC2 ...) name the common errors differently from the AWS JSON
 * services whose vocabulary core/errors.ts and the SigV4 verifier use: "Common Errors" in each
 * Query service's API reference gives these codes and statuses.
 */
const QUERY_VOCABULARY: Readonly<Record<string, Answer>> = {
  [AwsErrorCode.InvalidSignature]: { code: 'SignatureDoesNotMatch', status: 403 },
  [AwsErrorCode.UnrecognizedClient]: { code: 'InvalidClientTokenId', status: 403 },
  [AwsErrorCode.IncompleteSignature]: { code: 'IncompleteSignature', status: 400 },
  [AwsErrorCode.MissingAuthenticationToken]: { code: 'MissingAuthenticationToken', status: 403 },
  [AwsErrorCode.UnknownOperation]: { code: 'InvalidAction', status: 400 },
  [AwsErrorCode.Throttling]: { code: 'Throttling', status: 400 },
  [AwsErrorCode.Validation]: { code: 'ValidationError', status: 400 },
  [AwsErrorCode.ExpiredToken]: { code: 'ExpiredToken', status: 400 },
};

/** REST services answer authentication failures with 403 (JSON services keep 400, see sigv4/errors.ts). */
const REST_AUTH_FAILURES: ReadonlySet<string> = new Set([
  AwsErrorCode.InvalidSignature,
  AwsErrorCode.UnrecognizedClient,
  AwsErrorCode.IncompleteSignature,
  AwsErrorCode.MissingAuthenticationToken,
]);

const isQueryFamily = (p: ProtocolName | undefined) =>
  p === ProtocolName.AwsQuery || p === ProtocolName.Ec2Query;

/**
 * The wire form of `error` for `service` spoken over `protocol`. The status comes from the
 * model's error shape when the service has one for the type, else from the protocol's vocabulary,
 * else from the error itself (ServiceError's default 400, or what the thrower set: 413, 403, 500 ...).
 */
export function toWireError(
  error: ServiceError,
  protocol: ProtocolName | undefined,
  service?: AwsService,
): WireError {
  const spec = service?.model?.errors.get(error.code);
  const translated =
    isQueryFamily(protocol) || service?.awsQueryCompatible ? QUERY_VOCABULARY[error.code] : undefined;
  let status =
    spec?.status ?? (isQueryFamily(protocol) ? translated?.status : undefined) ?? fallbackStatus(error);
  if (!spec && protocol === ProtocolName.RestJson1 && REST_AUTH_FAILURES.has(error.code)) status = 403;
  const fault = spec?.fault ?? (status >= 500 ? 'server' : 'client');
  return {
    type: spec?.type ?? error.code,
    code: spec?.code ?? translated?.code ?? error.code,
    status,
    fault,
    message: error.message,
    extra: error.extra,
  };
}

/** The error an unexpected failure answers with: the service's server error, else InternalFailure. */
export function internalError(service?: AwsService): ServiceError {
  return new ProtocolError(
    (service?.serverError ?? AwsErrorCode.InternalFailure) as string,
    'An internal error occurred; see the Longshore log.',
    500,
  );
}

/** Query's `<Type>`: who is at fault. */
export function queryFaultName(error: WireError): 'Sender' | 'Receiver' {
  return error.fault === 'server' ? 'Receiver' : 'Sender';
}
