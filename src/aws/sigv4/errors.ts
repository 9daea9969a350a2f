/** SigV4 failures by reason, and the ProtocolError for one in a given dialect and mechanism. */
import type { ServiceError } from '../../core/errors.ts';
import { ProtocolError } from '../errors.ts';
import { ANSWERS, code } from './dialects.ts';
import type { ErrorDialect } from './types.ts';

/** Why a request failed authentication. */
export const Failure = {
  Missing: 'missing',
  BothMechanisms: 'both-mechanisms',
  Incomplete: 'incomplete',
  Scope: 'scope',
  Skew: 'skew',
  NotYetValid: 'not-yet-valid',
  Expired: 'expired',
  UnsignedHeader: 'unsigned-header',
  UnknownKey: 'unknown-key',
  Mismatch: 'mismatch',
  ContentSha: 'content-sha',
  BadToken: 'bad-token',
  ExpiredToken: 'expired-token',
  IncompleteBody: 'incomplete-body',
} as const;
export type Failure = (typeof Failure)[keyof typeof Failure];

/** Which mechanism carried the signature: S3 names malformed headers and queries differently. */
export type AuthVia = 'header' | 'query';

/** How a verifier reports failures: the dialect and the mechanism in use. */
export interface FailureContext {
  dialect: ErrorDialect;
  via: AuthVia;
}

/** The ServiceError for `reason` in the context's dialect; `detail` is the message where none is fixed. */
export function sigv4Error(
  ctx: FailureContext,
  reason: Failure,
  detail = '',
  extra?: Record<string, unknown>,
): ServiceError {
  const answer = ANSWERS[ctx.dialect][reason];
  // S3 reports a malformed presigned query as AuthorizationQueryParametersError.
  const type =
    ctx.dialect === 's3' && ctx.via === 'query' && answer.type === code('AuthorizationHeaderMalformed')
      ? code('AuthorizationQueryParametersError')
      : answer.type;
  // Extra members (HeadersNotSigned, ServerTime ...) are S3's; JSON errors carry only a message.
  return new ProtocolError(
    type,
    answer.message ?? detail,
    answer.status,
    ctx.dialect === 's3' ? extra : undefined,
  );
}
