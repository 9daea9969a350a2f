/** Domain errors: every failure an API handler can return, named by its AWS error type. */

/** The AWS error types Longshore returns. Mapped to HTTP and the JSON error body once, in `aws/`. */
export const ErrorType = {
  AccessDenied: 'AccessDeniedException',
  AttributeLimitExceeded: 'AttributeLimitExceededException',
  Client: 'ClientException',
  ClusterContainsCapacityProvider: 'ClusterContainsCapacityProviderException',
  ClusterContainsContainerInstances: 'ClusterContainsContainerInstancesException',
  ClusterContainsServices: 'ClusterContainsServicesException',
  ClusterContainsTasks: 'ClusterContainsTasksException',
  ClusterNotFound: 'ClusterNotFoundException',
  Conflict: 'ConflictException',
  InvalidParameter: 'InvalidParameterException',
  LimitExceeded: 'LimitExceededException',
  NamespaceNotFound: 'NamespaceNotFoundException',
  NoUpdateAvailable: 'NoUpdateAvailableException',
  PlatformTaskDefinitionIncompatibility: 'PlatformTaskDefinitionIncompatibilityException',
  PlatformUnknown: 'PlatformUnknownException',
  ResourceInUse: 'ResourceInUseException',
  ResourceNotFound: 'ResourceNotFoundException',
  Server: 'ServerException',
  ServiceDeploymentNotFound: 'ServiceDeploymentNotFoundException',
  ServiceNotActive: 'ServiceNotActiveException',
  ServiceNotFound: 'ServiceNotFoundException',
  TargetNotConnected: 'TargetNotConnectedException',
  TargetNotFound: 'TargetNotFoundException',
  TaskSetNotFound: 'TaskSetNotFoundException',
  UnsupportedFeature: 'UnsupportedFeatureException',
  UpdateInProgress: 'UpdateInProgressException',
  // Protocol-level errors shared by every AWS JSON service.
  Validation: 'ValidationException',
  SerializationException: 'SerializationException',
  UnknownOperation: 'UnknownOperationException',
  Throttling: 'ThrottlingException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidSignature: 'InvalidSignatureException',
  UnrecognizedClient: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'SignatureDoesNotMatch',
  RequestExpired: 'RequestExpired',
  InvalidClientTokenId: 'InvalidClientTokenId',
  RequestEntityTooLarge: 'RequestEntityTooLargeException',
  InternalFailure: 'InternalFailure',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** An error that reaches the caller as `{"__type": type, "message": message}` with `status`. */
export class ApiError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  /** Extra members of the error shape, e.g. `resourceIds` on ConflictException. */
  readonly extra: Readonly<Record<string, unknown>> | undefined;

  constructor(type: ErrorType, message: string, status = 400, extra?: Record<string, unknown>) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
    this.extra = extra;
  }
}

/** ECS's catch-all for bad requests: `InvalidParameterException`. */
export function invalidParameter(message: string): ApiError {
  return new ApiError(ErrorType.InvalidParameter, message);
}

/** ECS's `ClientException`: the request is well formed but not allowed in this state. */
export function clientException(message: string): ApiError {
  return new ApiError(ErrorType.Client, message);
}

/** ECS's `ClusterNotFoundException`, with the message ECS uses. */
export function clusterNotFound(): ApiError {
  return new ApiError(ErrorType.ClusterNotFound, 'Cluster not found.');
}

/** Serializes an unexpected error for a log line without losing its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
