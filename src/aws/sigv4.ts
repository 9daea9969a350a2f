/** SigV4 verification for the gateway, the agent channel and raw-HTTP routes; the parts live in `sigv4/`. */
export { verifyChunkedBody } from './sigv4/chunked.ts';
export { MISMATCH_MESSAGE } from './sigv4/dialects.ts';
export { Failure, sigv4Error } from './sigv4/errors.ts';
export { STREAMING_PAYLOAD } from './sigv4/payload.ts';
export { isValidRegionName, MAX_CLOCK_SKEW_MS } from './sigv4/scope.ts';
export { queryRecord } from './sigv4/signature.ts';
export type {
  Caller,
  ErrorDialect,
  PayloadMode,
  RegionRule,
  SecretLookup,
  SignedRequest,
  SigningCredential,
  VerifiedRequest,
  VerifyOptions,
} from './sigv4/types.ts';
export { verifySigV4 } from './sigv4/verify.ts';
export { verifyHeaderAuth } from './sigv4/verify-header.ts';
export { verifyPresignedSigV4 } from './sigv4/verify-presigned.ts';
