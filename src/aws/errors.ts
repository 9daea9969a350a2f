/**
 * The gateway's own failures (decoding, authentication, throttling, routing), with the HTTP
 * status the protocol gives them when the service's model has no shape for them.
 */
import { type Fault, ServiceError } from '../core/errors.ts';

/** Codes of the protocol-level errors AWS JSON services answer (Query services rename some: wire-error.ts). */
export const AwsErrorCode = {
  AccessDenied: 'AccessDeniedException',
  ExpiredToken: 'ExpiredTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InternalFailure: 'InternalFailure',
  /** What the gateway throws for a missing required member; each service maps it to its own validation error. */
  InvalidParameter: 'InvalidParameterException',
  InvalidClientTokenId: 'InvalidClientTokenId',
  InvalidSignature: 'InvalidSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  /** An operation in the service's model that Longshore does not implement yet. */
  NotImplemented: 'UnsupportedFeatureException',
  RequestEntityTooLarge: 'RequestEntityTooLargeException',
  RequestExpired: 'RequestExpired',
  SerializationException: 'SerializationException',
  SignatureDoesNotMatch: 'SignatureDoesNotMatch',
  Throttling: 'ThrottlingException',
  UnknownOperation: 'UnknownOperationException',
  UnrecognizedClient: 'UnrecognizedClientException',
  Validation: 'ValidationException',
} as const;
export type AwsErrorCode = (typeof AwsErrorCode)[keyof typeof AwsErrorCode];

/** A ServiceError with the HTTP status the protocol answers it with (413, 403 ...). */
export class ProtocolError extends ServiceError {
  readonly status: number;

  constructor(code: string, message: string, status = 400, extra?: Record<string, unknown>) {
    const fault: Fault = status >= 500 ? 'server' : 'client';
    super(code, message, extra, fault);
    this.status = status;
  }
}

/**
 * A request the shared facilities (pagination, client tokens) refuse: InvalidParameterException,
 * which each service maps to its own validation error (operation-errors.ts).
 */
export function invalidInput(message: string): ServiceError {
  return new ServiceError(AwsErrorCode.InvalidParameter, message);
}

/** The status an error answers with when the service's model does not say. */
export function fallbackStatus(error: ServiceError): number {
  if (error instanceof ProtocolError) return error.status;
  // AWS's common ServiceUnavailable is a 503, which the SDKs and the CLI retry (a store outage).
  if (error.code === 'ServiceUnavailable') return 503;
  return error.fault === 'server' ? 500 : 400;
}
