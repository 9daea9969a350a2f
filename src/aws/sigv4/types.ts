/** The shapes SigV4 verification works on: the request, the credentials, the options and the result. */
import type { Principal } from '../../iam/model/principal.ts';

/** What the verifier needs from an incoming HTTP request. */
export interface SignedRequest {
  method: string;
  /** Path without the query string, as it arrived (percent-encoded). */
  path: string;
  /** The query; pass `URLSearchParams` so a repeated name keeps every value. */
  query: URLSearchParams | Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body that will be executed: its hash is what the signature must cover. */
  body: string | Uint8Array;
}

/** The secret behind an access key id, and the session it belongs to when it is temporary. */
export interface SigningCredential {
  secretAccessKey: string;
  /** Temporary credentials (STS) carry a session token; requests must present exactly this token. */
  sessionToken?: string;
  /** Epoch ms after which the session token is expired. */
  expiresAt?: number;
  /** Who the key stands for (IAM's credential lookup sets it); handed on in the `Caller`. */
  principal?: Principal;
  /** An agent key tied to one cluster by its join token: the only cluster the agent channel accepts it for. */
  cluster?: string;
}

/**
 * Looks up an access key id; undefined when the key is unknown. A bare string is the secret of a
 * long-term key (no session), the form the control plane's static key table still returns.
 */
export type SecretLookup = (accessKeyId: string) => SigningCredential | string | undefined;

/**
 * What the payload hash may be, per service:
 * - `signed`: always the SHA-256 of the body (AWS JSON and Query services);
 * - `unsigned-allowed`: also the literal `UNSIGNED-PAYLOAD` (S3-style REST routes, presigned URLs);
 * - `streaming-allowed`: also `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, an aws-chunked body whose
 *   chunks the route then checks with `verifyChunkedBody`.
 */
export type PayloadMode = 'signed' | 'unsigned-allowed' | 'streaming-allowed';

/**
 * Which AWS error vocabulary failures use: `json` is the AWS JSON services' (ECS:
 * InvalidSignatureException, UnrecognizedClientException ...), `s3` is S3's and the registry's
 * (SignatureDoesNotMatch, AccessDenied, XAmzContentSHA256Mismatch ...).
 */
export type ErrorDialect = 'json' | 's3';

/** Which regions a credential scope may name. */
export type RegionRule = string | ((name: string) => boolean);

export interface VerifyOptions {
  /** The signing name the scope must carry, e.g. `ecs`. */
  service: string;
  /** Epoch ms at which the request arrived. */
  now: number;
  /** One region name (only that one), a predicate, or absent: any syntactically valid AWS region. */
  region?: RegionRule;
  /** Default `signed`. */
  payload?: PayloadMode;
  /** Default `json`. */
  dialect?: ErrorDialect;
  /** S3 signs the path as sent; every other service normalizes and escapes it. Default true. */
  uriEscapePath?: boolean;
  /**
   * The body is not read yet (a raw route that streams it): a declared hex payload hash is signed
   * as declared and the result's `payload` is `deferred`, for the route to check once it has read
   * the body.
   */
  deferBodyHash?: boolean;
}

/** Who signed the request, once the signature checked out. */
export interface Caller {
  accessKeyId: string;
  region: string;
  service: string;
  /** Who the key stands for, when the lookup knows (every gateway request once IAM resolves keys). */
  principal?: Principal;
}

/** The verifier's result: the caller plus what a route needs to go on checking the payload. */
export interface VerifiedRequest extends Caller {
  /**
   * How the payload was covered; `streaming` bodies still need `verifyChunkedBody` (or a chunk
   * decoder: S3's trailer variants), `deferred` ones a hash of the body compared with
   * x-amz-content-sha256 (see `deferBodyHash`). `unsigned` includes aws-chunked bodies declared
   * STREAMING-UNSIGNED-PAYLOAD-TRAILER.
   */
  payload: 'signed' | 'unsigned' | 'streaming' | 'deferred';
  /** The request's signature: the seed of an aws-chunked body's chain. */
  signature: string;
  /** The signing time (X-Amz-Date). */
  signedAt: Date;
}
