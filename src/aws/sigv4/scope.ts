/** The credential scope (`AKID/yyyymmdd/region/service/aws4_request`), signing dates and clock skew. */
import { type Failure, type FailureContext, sigv4Error } from './errors.ts';
import type { RegionRule } from './types.ts';

/** AWS accepts requests signed up to 15 minutes before or after its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Region names across partitions: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-northwest-1`,
 * `us-iso-east-1`, `eu-isoe-west-1`: two letters, one or more words, a number.
 */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** True for a syntactically valid AWS region name. */
export function isValidRegionName(name: string): boolean {
  return REGION_NAME.test(name);
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** Splits `Credential=` / `X-Amz-Credential`; IncompleteSignature when it is not 5 elements. */
export function parseCredential(
  value: string,
  ctx: FailureContext,
): CredentialScope & { terminator: string } {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    throw sigv4Error(
      ctx,
      'incomplete',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

/**
 * Checks every piece of the scope against what this endpoint serves and the request's date; like
 * AWS, reports all the pieces that are wrong in one message.
 */
export function checkScope(
  scope: CredentialScope & { terminator: string },
  amzDate: string,
  expected: { service: string; region?: RegionRule },
  ctx: FailureContext,
): void {
  const problems: string[] = [];
  if (!regionAllowed(expected.region, scope.region)) {
    problems.push(`Credential should be scoped to a valid region, not '${scope.region}'.`);
  }
  if (scope.service !== expected.service) {
    problems.push(`Credential should be scoped to correct service: '${expected.service}'.`);
  }
  if (scope.terminator !== 'aws4_request') {
    problems.push(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'.`,
    );
  }
  if (scope.date !== amzDate.slice(0, 8)) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (problems.length > 0) throw sigv4Error(ctx, 'scope', problems.join(' '));
}

function regionAllowed(rule: RegionRule | undefined, name: string): boolean {
  if (rule === undefined) return isValidRegionName(name);
  return typeof rule === 'string' ? name === rule : rule(name);
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `20231231T235959Z`; IncompleteSignature when malformed or not a real time (Feb 30, 24:00). */
export function parseAmzDate(value: string, ctx: FailureContext): Date {
  const m = AMZ_DATE.exec(value);
  const date = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  const exact =
    date !== null &&
    date.getUTCFullYear() === +m![1] &&
    date.getUTCMonth() === +m![2] - 1 &&
    date.getUTCDate() === +m![3] &&
    date.getUTCHours() === +m![4] &&
    date.getUTCMinutes() === +m![5] &&
    date.getUTCSeconds() === +m![6];
  if (!exact) {
    throw sigv4Error(
      ctx,
      'incomplete',
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  return date;
}

/** Rejects a signing time more than 15 minutes from `now`; `future` names the failure for the later side. */
export function checkSkew(
  signedAt: Date,
  amzDate: string,
  now: number,
  ctx: FailureContext,
  future: Failure = 'skew',
): void {
  if (signedAt.getTime() < now - MAX_CLOCK_SKEW_MS) {
    const nowText = formatAmzDate(now);
    throw sigv4Error(
      ctx,
      'skew',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${nowText} - 15 min.)`,
    );
  }
  if (signedAt.getTime() > now + MAX_CLOCK_SKEW_MS) {
    const nowText = formatAmzDate(now);
    throw sigv4Error(
      ctx,
      future,
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${nowText} + 15 min.)`,
    );
  }
}

/** Formats epoch ms as `20231231T235959Z`. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2023-12-31T23:59:59.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
