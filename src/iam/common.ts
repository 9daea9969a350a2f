/** What IAM's handlers share: input checks with IAM's messages, Marker paging, record lookups, output shapes. */
import type { ServiceError } from '../core/errors.ts';
import { IamErrorCode, iamError, noSuchEntity } from './model/errors.ts';
import { iamArn } from './model/ids.ts';
import type { IamContext, IamTag } from './model/records.ts';

/** Epoch seconds, the AWS JSON form of a timestamp (the Query writer prints ISO 8601). */
export const seconds = (ms: number): number => ms / 1000;

/** IAM's common validation failure, worded as IAM words a member constraint. */
export function validationError(member: string, value: string, constraint: string): ServiceError {
  return iamError(
    IamErrorCode.Validation,
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

const NAME = /^[\w+=,.@-]+$/;

/** A user, group, role, policy or instance profile name: `[\w+=,.@-]+`, 1 to `max` characters. */
export function checkName(member: string, value: string, max: number): void {
  if (value.length < 1 || value.length > max) {
    throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  }
  if (!NAME.test(value)) {
    throw validationError(member, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  }
}

const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

/** A path: `/` or `/.../`, 1 to 512 characters; `/` when omitted. */
export function checkPath(value: string | undefined, member = 'path'): string {
  if (value === undefined) return '/';
  if (value.length > 512)
    throw validationError(member, value, 'Member must have length less than or equal to 512');
  if (!PATH.test(value)) {
    throw validationError(
      member,
      value,
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  }
  return value;
}

/** A path prefix filter (`/` when omitted); anything listing starts with it. */
export function checkPathPrefix(value: string | undefined): string {
  if (value === undefined) return '/';
  if (!value.startsWith('/') || value.length > 512) {
    throw validationError(
      'pathPrefix',
      value,
      'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*',
    );
  }
  return value;
}

export interface MarkerInput {
  Marker?: string;
  MaxItems?: number;
}

/** IAM's paging: Marker and MaxItems (1 to 1000, default 100) in, IsTruncated and Marker out. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: MarkerInput,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = input.MaxItems ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw validationError('maxItems', String(max), 'Member must have value less than or equal to 1000');
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let start = 0;
  if (input.Marker !== undefined) {
    const after = decodeMarker(input.Marker);
    start = sorted.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + max);
  const more = start + max < sorted.length;
  return more
    ? { items: slice, IsTruncated: true, Marker: encodeMarker(keyOf(slice[slice.length - 1]!)) }
    : { items: slice, IsTruncated: false };
}

function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key }), 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as {
      v?: number;
      after?: unknown;
    };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // answered below
  }
  throw iamError(IamErrorCode.InvalidInput, 'Invalid Marker.');
}

/** Policy documents go out URL-encoded, as IAM sends them (the aws CLI decodes them; SDKs leave it to you). */
export const encodeDocument = (text: string): string => encodeURIComponent(text);

/** Tags: at most 50, keys unique (case-insensitive), 1-128 / 0-256 characters. */
export function checkTags(tags: readonly IamTag[] | undefined, existing: readonly IamTag[] = []): IamTag[] {
  const merged = new Map(existing.map((t) => [t.Key.toLowerCase(), t]));
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    const lower = t.Key.toLowerCase();
    if (seen.has(lower))
      throw iamError(
        IamErrorCode.InvalidInput,
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    seen.add(lower);
    if (t.Key.length < 1 || t.Key.length > 128) {
      throw validationError('tags.member.key', t.Key, 'Member must have length less than or equal to 128');
    }
    if (t.Value.length > 256) {
      throw validationError(
        'tags.member.value',
        t.Value,
        'Member must have length less than or equal to 256',
      );
    }
    merged.set(lower, { Key: t.Key, Value: t.Value });
  }
  if (merged.size > 50) {
    throw iamError(IamErrorCode.LimitExceeded, 'The number of tags has reached the maximum limit.');
  }
  return [...merged.values()];
}

export const arnFor = (ctx: IamContext, type: string, path: string, name: string): string =>
  iamArn(ctx.accountId, type, path, name);

export const noSuchUser = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string) =>
  noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const noSuchInstanceProfile = (name: string) =>
  noSuchEntity(`Instance Profile ${name} cannot be found.`);

export const alreadyExists = (message: string) => iamError(IamErrorCode.EntityAlreadyExists, message);
