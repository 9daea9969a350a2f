/**
 * DescribeSecret, ListSecrets and ListSecretVersionIds, and the filters ListSecrets and
 * BatchGetSecretValue share: `name`, `tag-key`, `tag-value` (prefix, case-sensitive),
 * `description` (prefix, not case-sensitive), `all` (each word of the value against every
 * attribute's words, not case-sensitive); a leading `!` negates. Values of one filter are ORed,
 * filters ANDed. Pages are opaque offsets.
 */
import type {
  DescribeSecretRequest,
  DescribeSecretResponse,
  Filter,
  ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse,
  ListSecretsRequest,
  ListSecretsResponse,
  SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import {
  type SecretRecord,
  type SecretsManagerContext,
  findSecret,
  invalidParameter,
  listSecretRecords,
} from './model/records.ts';

const seconds = (ms: number) => ms / 1000;

const FILTER_KEYS = [
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
];
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

export interface CheckedFilter {
  key: string;
  values: string[];
}

export function checkFilters(filters: readonly Wire<Filter>[] | undefined): CheckedFilter[] {
  const out: CheckedFilter[] = [];
  for (const f of filters ?? []) {
    if (typeof f.Key !== 'string' || !FILTER_KEYS.includes(f.Key)) {
      throw invalidParameter(`Invalid filter key: ${String(f.Key)}. Valid keys: ${FILTER_KEYS.join(', ')}.`);
    }
    const values = f.Values ?? [];
    if (values.length < 1 || values.length > 10) {
      throw invalidParameter('A filter must have 1 to 10 values.');
    }
    for (const v of values) {
      if (typeof v !== 'string' || v.length > 512 || !FILTER_VALUE.test(v)) {
        throw invalidParameter(`Invalid filter value: ${String(v).slice(0, 512)}`);
      }
    }
    out.push({ key: f.Key, values });
  }
  return out;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);

function matchesOne(secret: SecretRecord, key: string, value: string): boolean {
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'description':
      return (secret.description ?? '').toLowerCase().startsWith(value.toLowerCase());
    case 'tag-key':
      return secret.tags.some((t) => t.Key.startsWith(value));
    case 'tag-value':
      return secret.tags.some((t) => t.Value.startsWith(value));
    case 'primary-region':
    case 'owning-service':
      return false;
    default: {
      const attrs = [secret.name, secret.description ?? '', ...secret.tags.flatMap((t) => [t.Key, t.Value])];
      const have = attrs.flatMap((a) => [a.toLowerCase(), ...words(a)]);
      return words(value).every((w) => have.some((h) => h.startsWith(w)));
    }
  }
}

export function matchesFilters(secret: SecretRecord, filters: readonly CheckedFilter[]): boolean {
  return filters.every((f) =>
    f.values.some((v) =>
      v.startsWith('!') ? !matchesOne(secret, f.key, v.slice(1)) : matchesOne(secret, f.key, v),
    ),
  );
}

export function pageStart(token: unknown): number {
  if (token === undefined) return 0;
  const text = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const start = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(start) || start < 0) {
    throw new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
  }
  return start;
}

export const nextToken = (start: number, max: number, total: number): string | undefined =>
  start + max < total ? Buffer.from(String(start + max)).toString('base64url') : undefined;

function checkMax(max: unknown, limit: number): number {
  if (max === undefined) return limit;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > limit) {
    throw invalidParameter(`MaxResults must be between 1 and ${limit}.`);
  }
  return max;
}

const stagesMap = (s: SecretRecord) =>
  Object.fromEntries(s.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, [...v.stages]]));

/** What DescribeSecret and ListSecrets say of a secret (never its value). */
function metadata(s: SecretRecord) {
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ...(s.kmsKeyId !== undefined ? { KmsKeyId: s.kmsKeyId } : {}),
    RotationEnabled: false,
    LastChangedDate: seconds(s.lastChangedAt) as never,
    ...(s.lastAccessedAt !== undefined ? { LastAccessedDate: seconds(s.lastAccessedAt) as never } : {}),
    ...(s.deletedAt !== undefined ? { DeletedDate: seconds(s.deletedAt) as never } : {}),
    ...(s.tags.length > 0 ? { Tags: s.tags.map((t) => ({ ...t })) } : {}),
    CreatedDate: seconds(s.createdAt) as never,
  };
}

export async function describeSecret(
  ctx: SecretsManagerContext,
  input: Wire<DescribeSecretRequest>,
): Promise<Wire<DescribeSecretResponse>> {
  const secret = await findSecret(ctx.store, input.SecretId, ctx.clock.now());
  return { ...metadata(secret), VersionIdsToStages: stagesMap(secret) };
}

type SortKey = 'created-date' | 'last-accessed-date' | 'last-changed-date' | 'name';

export async function listSecrets(
  ctx: SecretsManagerContext,
  input: Wire<ListSecretsRequest>,
): Promise<Wire<ListSecretsResponse>> {
  const max = checkMax(input.MaxResults, 100);
  const filters = checkFilters(input.Filters);
  const order = input.SortOrder ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidParameter('SortOrder must be asc or desc.');
  const sortBy = (input.SortBy ?? 'created-date') as SortKey;
  const start = pageStart(input.NextToken);
  const now = ctx.clock.now();
  const all = (await listSecretRecords(ctx.store, now))
    .filter((s) => input.IncludePlannedDeletion === true || s.deletionDate === undefined)
    .filter((s) => matchesFilters(s, filters));
  const keyOf = (s: SecretRecord): number | string =>
    sortBy === 'name'
      ? s.name
      : sortBy === 'last-accessed-date'
        ? (s.lastAccessedAt ?? 0)
        : sortBy === 'last-changed-date'
          ? s.lastChangedAt
          : s.createdAt;
  all.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return order === 'asc' ? c : -c;
  });
  const page: Wire<SecretListEntry>[] = all
    .slice(start, start + max)
    .map((s) => ({ ...metadata(s), SecretVersionsToStages: stagesMap(s) }));
  const next = nextToken(start, max, all.length);
  return { SecretList: page, ...(next ? { NextToken: next } : {}) };
}

export async function listSecretVersionIds(
  ctx: SecretsManagerContext,
  input: Wire<ListSecretVersionIdsRequest>,
): Promise<Wire<ListSecretVersionIdsResponse>> {
  const max = checkMax(input.MaxResults, 100);
  const start = pageStart(input.NextToken);
  const secret = await findSecret(ctx.store, input.SecretId, ctx.clock.now());
  const versions = secret.versions
    .filter((v) => input.IncludeDeprecated === true || v.stages.length > 0)
    .slice()
    .reverse();
  const next = nextToken(start, max, versions.length);
  return {
    ARN: secret.arn,
    Name: secret.name,
    Versions: versions.slice(start, start + max).map((v) => ({
      VersionId: v.id,
      VersionStages: [...v.stages],
      CreatedDate: seconds(v.createdAt) as never,
      ...(v.lastAccessedAt !== undefined ? { LastAccessedDate: seconds(v.lastAccessedAt) as never } : {}),
    })),
    ...(next ? { NextToken: next } : {}),
  };
}
