/** What each AWS dialect answers for each SigV4 failure: error code, HTTP status, message. */
import { AwsErrorCode } from '../errors.ts';
import type { Failure } from './errors.ts';
import type { ErrorDialect } from './types.ts';

/** Codes core/errors.ts does not list yet (S3's and the common ExpiredTokenException); cast once here. */
export const code = (name: string): string => name as string;

/** AWS JSON services' standard answer when the recomputed signature differs (DynamoDB, ECS ...). */
export const MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

export interface Answer {
  type: string;
  status: number;
  /** Fixed text; when absent the caller's detail is the message. */
  message?: string;
}

/**
 * JSON services (Coral): codes and messages as the AWS "Common Errors" pages and recorded
 * DynamoDB responses (mhart/dynalite's index.js) give them. Statuses 400/403 kept as before.
 */
const JSON_ANSWERS: Record<Failure, Answer> = {
  missing: {
    type: AwsErrorCode.MissingAuthenticationToken,
    status: 403,
    message: 'Missing Authentication Token',
  },
  'both-mechanisms': { type: AwsErrorCode.InvalidSignature, status: 400 },
  incomplete: { type: AwsErrorCode.IncompleteSignature, status: 400 },
  scope: { type: AwsErrorCode.InvalidSignature, status: 400 },
  skew: { type: AwsErrorCode.InvalidSignature, status: 400 },
  'not-yet-valid': { type: AwsErrorCode.InvalidSignature, status: 400 },
  // The Common Errors pages: RequestExpired covers "the request expiration date (such as for
  // pre-signed URLs)".
  expired: { type: AwsErrorCode.RequestExpired, status: 400, message: 'Request has expired' },
  'unsigned-header': { type: AwsErrorCode.InvalidSignature, status: 400 },
  'unknown-key': { type: AwsErrorCode.UnrecognizedClient, status: 400, message: INVALID_TOKEN },
  mismatch: { type: AwsErrorCode.InvalidSignature, status: 400, message: MISMATCH_MESSAGE },
  // Coral hashes the body itself: a wrong x-amz-content-sha256 just makes the signature differ.
  'content-sha': { type: AwsErrorCode.InvalidSignature, status: 400, message: MISMATCH_MESSAGE },
  'bad-token': { type: AwsErrorCode.UnrecognizedClient, status: 400, message: INVALID_TOKEN },
  'expired-token': {
    type: code('ExpiredTokenException'),
    status: 403,
    message: 'The security token included in the request is expired',
  },
  'incomplete-body': { type: code('IncompleteBody'), status: 400 },
};

/** S3 and S3-style routes: the S3 API Reference's error table. */
const S3_ANSWERS: Record<Failure, Answer> = {
  missing: { type: code('AccessDenied'), status: 403, message: 'Access Denied' },
  'both-mechanisms': {
    type: code('InvalidArgument'),
    status: 400,
    message:
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  },
  incomplete: { type: code('AuthorizationHeaderMalformed'), status: 400 },
  scope: { type: code('AuthorizationHeaderMalformed'), status: 400 },
  skew: {
    type: code('RequestTimeTooSkewed'),
    status: 403,
    message: 'The difference between the request time and the current time is too large.',
  },
  'not-yet-valid': { type: code('AccessDenied'), status: 403, message: 'Request is not valid yet' },
  expired: { type: code('AccessDenied'), status: 403, message: 'Request has expired' },
  'unsigned-header': {
    type: code('AccessDenied'),
    status: 403,
    message: 'There were headers present in the request which were not signed',
  },
  'unknown-key': {
    type: code('InvalidAccessKeyId'),
    status: 403,
    message: 'The AWS Access Key Id you provided does not exist in our records.',
  },
  mismatch: {
    type: AwsErrorCode.SignatureDoesNotMatch,
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  },
  'content-sha': {
    type: code('XAmzContentSHA256Mismatch'),
    status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  },
  'bad-token': {
    type: code('InvalidToken'),
    status: 400,
    message: 'The provided token is malformed or otherwise invalid.',
  },
  'expired-token': { type: code('ExpiredToken'), status: 400, message: 'The provided token has expired.' },
  'incomplete-body': {
    type: code('IncompleteBody'),
    status: 400,
    message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  },
};

/** Every dialect's answers. */
export const ANSWERS: Record<ErrorDialect, Record<Failure, Answer>> = { json: JSON_ANSWERS, s3: S3_ANSWERS };
