/**
 * The PostgreSQL store's failures as callers see them, and which driver errors mean "the
 * connection or the server went away" (retry) rather than "this statement is wrong" (surface).
 */
import { ServiceError } from '../../core/errors.ts';

/** The AWS error code a StoreUnavailable answers with (AWS's common 5xx "ServiceUnavailable"). */
export const STORE_UNAVAILABLE_CODE = 'ServiceUnavailable';

/**
 * The store could not do what was asked in time: PostgreSQL unreachable (or restarting) past the
 * retry window, a replica's mirror too stale to answer reads, or a transaction that kept
 * conflicting with other replicas' commits. A ServiceError with a server fault, so the gateway
 * answers it as a 5xx `ServiceUnavailable`, which the AWS SDKs and CLI retry with backoff.
 *
 * `outcome` says what happened to the writes of the transaction that failed: `not-applied` (they
 * were never committed) or `unknown` (a commit was sent and no answer came back: it may have
 * committed, and if it did the change feed announces it like any other commit).
 */
export class StoreUnavailable extends ServiceError {
  readonly outcome: 'not-applied' | 'unknown';

  constructor(message: string, outcome: 'not-applied' | 'unknown' = 'not-applied', cause?: unknown) {
    super(STORE_UNAVAILABLE_CODE, message, undefined, 'server');
    this.outcome = outcome;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * SQLSTATE classes and codes after which the same work may simply be tried again on another
 * connection: connection exceptions (08), operator intervention (57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now), serialization failure and deadlock (40001, 40P01),
 * too many connections (53300).
 */
const RETRIABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);

/** True when `error` means the connection or server failed, not the statement. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || RETRIABLE_SQLSTATES.has(code)) return true;
    // Node's socket errors: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH ...
    if (/^E[A-Z]+$/.test(code)) return true;
  }
  // node-postgres reports a socket closed under it, and its own timeouts, without a code.
  return /Connection terminated|connection timeout|timeout exceeded|Query read timeout|Client has encountered a connection error|not queryable|Client was closed/i.test(
    error.message,
  );
}
