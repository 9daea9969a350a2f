/**
 * Domain errors: a failure reported to the caller, named by its AWS error code
 * (`ClusterNotFoundException`, `ValidationException` ...). Domain code knows nothing of HTTP:
 * the gateway decides the status and shape per service and protocol, in one place
 * (`aws/wire-error.ts`). The codes live with their service (`ecs/model/errors.ts`) or, for the
 * protocol's own failures, in `aws/errors.ts`.
 */

/** Whose fault: the caller's (4xx) or the service's (5xx). */
export type Fault = 'client' | 'server';

export class ServiceError extends Error {
  /** The AWS error code, which is the error shape's name in the service's model. */
  readonly code: string;
  readonly fault: Fault;
  /** Extra members of the error shape, e.g. `resourceIds` on ECS's ConflictException. */
  readonly extra: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, extra?: Record<string, unknown>, fault: Fault = 'client') {
    super(message);
    this.name = code;
    this.code = code;
    this.extra = extra;
    this.fault = fault;
  }
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
