/**
 * GetDownloadUrlForLayer's pre-authorized URLs: where ECR answers a pre-signed S3 URL, Longshore
 * answers the registry's own blob URL with a signature in its query,
 *
 *   http://<registry host>/v2/<name>/blobs/<digest>?region=<r>&expires=<epoch s>&signature=<hex>
 *
 * which the registry serves (GET or HEAD, `Range` too) without Basic credentials. The signature is
 * HMAC-SHA256 over the account, region, repository, digest and expiry, with a key derived from
 * the installation's token secret for this purpose only (registry passwords use the secret itself),
 * so a URL opens that one blob of that one repository until it expires (10 minutes), and nothing
 * else: another path, another method, a changed parameter or an expired time is DENIED. Nothing is
 * stored, so any replica with the secret serves it; the signature is compared in constant time and
 * never logged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EcrContext } from '../model/records.ts';
import { registryOrigin } from '../model/repositories.ts';

/** How long a download URL works: the pull that asked for it starts at once. */
export const DOWNLOAD_URL_TTL_MS = 10 * 60 * 1000;
const PURPOSE = 'longshore/ecr/layer-download-url/v1';

interface Signed {
  accountId: string;
  region: string;
  repository: string;
  digest: string;
  /** Epoch seconds. */
  expires: number;
}

function signature(tokenSecret: string, s: Signed): Buffer {
  const key = createHmac('sha256', tokenSecret).update(PURPOSE).digest();
  return createHmac('sha256', key)
    .update(['GET', s.accountId, s.region, s.repository, s.digest, String(s.expires)].join('\n'))
    .digest();
}

/** The URL that serves `digest` of `repository` until `nowMs` + the TTL. */
export function signDownloadUrl(
  ctx: EcrContext,
  repository: string,
  digest: string,
  nowMs: number,
): { url: string; expiresAt: number } {
  const expires = Math.floor((nowMs + DOWNLOAD_URL_TTL_MS) / 1000);
  const signed: Signed = {
    accountId: ctx.partition.accountId,
    region: ctx.partition.region,
    repository,
    digest,
    expires,
  };
  const query = new URLSearchParams({
    region: signed.region,
    expires: String(expires),
    signature: signature(ctx.tokenSecret, signed).toString('hex'),
  });
  return {
    url: `${registryOrigin(ctx)}/v2/${repository}/blobs/${digest}?${query}`,
    expiresAt: expires * 1000,
  };
}

/** Whether a request carries a download URL's signature (then it is checked instead of Basic). */
export const isSignedUrl = (url: URL): boolean => url.searchParams.has('signature');

/**
 * The region a signed URL grants a GET or HEAD of `repository`'s blob `digest` in, or undefined
 * (malformed, another blob or repository, forged or expired). Checked against the home context's
 * account and secret before any region context is made from what the URL says.
 */
export function verifyDownloadUrl(
  url: URL,
  repository: string,
  digest: string,
  home: EcrContext,
  nowMs: number,
): string | undefined {
  const region = url.searchParams.get('region') ?? '';
  const expiresText = url.searchParams.get('expires') ?? '';
  const given = url.searchParams.get('signature') ?? '';
  if (!/^[a-z0-9-]{1,64}$/.test(region) || !/^\d{1,12}$/.test(expiresText) || !/^[a-f0-9]{64}$/.test(given)) {
    return undefined;
  }
  const expires = Number(expiresText);
  if (nowMs >= expires * 1000) return undefined;
  const expected = signature(home.tokenSecret, {
    accountId: home.partition.accountId,
    region,
    repository,
    digest,
    expires,
  });
  const provided = Buffer.from(given, 'hex');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) return undefined;
  return region;
}
