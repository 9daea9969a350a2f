/**
 * ParameterFilters as DescribeParameters and GetParametersByPath read them (Name with Equals,
 * BeginsWith or Contains; Path with OneLevel or Recursive; Type, KeyId, Label, Tier, DataType with
 * Equals or BeginsWith; `tag:<key>` with Equals, no values meaning the tag is there), the legacy
 * Filters of DescribeParameters, hierarchy paths and page tokens.
 */
import type { ParameterStringFilter, ParametersFilter } from '@aws-sdk/client-ssm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { MAX_LEVELS, type ParameterRecord, currentOf, validation } from './model/records.ts';

export interface CheckedFilter {
  key: string;
  option: string;
  values: string[];
}

const invalidOption = () =>
  new ServiceError(
    'InvalidFilterOption',
    'The filter option is not valid. Valid options are Equals and BeginsWith. For Path filter, valid options are Recursive and OneLevel.',
  );

function optionsFor(key: string): readonly string[] {
  if (key === 'Name') return ['Equals', 'BeginsWith', 'Contains'];
  if (key === 'Path') return ['OneLevel', 'Recursive'];
  if (key.startsWith('tag:')) return ['Equals'];
  return ['Equals', 'BeginsWith'];
}

const KEYS = ['Name', 'Type', 'KeyId', 'Path', 'Label', 'Tier', 'DataType'];

export function checkParameterFilters(
  filters: readonly Wire<ParameterStringFilter>[] | undefined,
  allowedKeys: readonly string[] = KEYS,
): CheckedFilter[] {
  const out: CheckedFilter[] = [];
  const seen = new Set<string>();
  for (const f of filters ?? []) {
    const key = f.Key;
    const isTag = typeof key === 'string' && key.startsWith('tag:') && key.length > 4;
    if (typeof key !== 'string' || (!isTag && !allowedKeys.includes(key))) {
      throw new ServiceError(
        'InvalidFilterKey',
        `The following filter key is not valid: ${String(key)}. Valid filter keys include: [${allowedKeys.join(', ')}, tag:<key>].`,
      );
    }
    if (seen.has(key))
      throw validation(
        `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
      );
    seen.add(key);
    const option = f.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    if (!optionsFor(key).includes(option)) throw invalidOption();
    const values = f.Values ?? [];
    if (!isTag && values.length === 0) {
      throw new ServiceError('InvalidFilterValue', `The filter ${key} needs at least one value.`);
    }
    if (values.length > 50 || values.some((v) => typeof v !== 'string' || v.length < 1 || v.length > 1024)) {
      throw new ServiceError(
        'InvalidFilterValue',
        `The filter ${key} takes 1 to 50 values of 1 to 1024 characters.`,
      );
    }
    if (key === 'Path') for (const v of values) checkPath(v);
    out.push({ key, option, values });
  }
  return out;
}

/** The legacy `Filters` (Name, Type, KeyId; values matched as BeginsWith for Name, Equals otherwise). */
export function fromLegacyFilters(filters: readonly Wire<ParametersFilter>[] | undefined): CheckedFilter[] {
  return (filters ?? []).map((f) => {
    if (!['Name', 'Type', 'KeyId'].includes(String(f.Key))) {
      throw new ServiceError(
        'InvalidFilterKey',
        `The following filter key is not valid: ${String(f.Key)}. Valid filter keys include: [Name, Type, KeyId].`,
      );
    }
    const values = f.Values ?? [];
    if (values.length < 1)
      throw new ServiceError('InvalidFilterValue', `The filter ${String(f.Key)} needs a value.`);
    return { key: f.Key as string, option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', values };
  });
}

const PATH_RULES =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

/** A hierarchy path: `/`, or `/a/b` (a trailing `/` is allowed); at most 15 levels. */
export function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length < 1 || path.length > 2048 || !path.startsWith('/')) {
    throw validation(PATH_RULES);
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(path) || /^\/(aws|ssm)/i.test(path) || path.includes('//')) {
    throw validation(PATH_RULES);
  }
  const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (normalized.split('/').length - 1 > MAX_LEVELS) {
    throw new ServiceError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html',
    );
  }
  return normalized;
}

/** Whether `name` is under `path` (a checked path): directly, or at any depth when `recursive`. */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  if (!name.startsWith(prefix) || name.length === prefix.length) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}

function matchText(option: string, actual: string | undefined, value: string): boolean {
  if (actual === undefined) return false;
  if (option === 'BeginsWith') return actual.startsWith(value);
  if (option === 'Contains') return actual.includes(value);
  return actual === value;
}

export function matchesFilter(p: ParameterRecord, f: CheckedFilter): boolean {
  const v = currentOf(p);
  switch (f.key) {
    case 'Name':
      // Names are compared with or without their leading slash, as SSM does.
      return f.values.some(
        (x) =>
          matchText(f.option, p.name, x) ||
          matchText(f.option, p.name.replace(/^\//, ''), x.replace(/^\//, '')),
      );
    case 'Path':
      return f.values.some((x) => underPath(p.name, checkPath(x), f.option === 'Recursive'));
    case 'Type':
      return f.values.some((x) => matchText(f.option, v.type, x));
    case 'KeyId':
      return f.values.some((x) => matchText(f.option, v.keyId, x));
    case 'Tier':
      return f.values.some((x) => matchText(f.option, v.tier, x));
    case 'DataType':
      return f.values.some((x) => matchText(f.option, v.dataType, x));
    case 'Label':
      return f.values.some((x) => p.versions.some((pv) => pv.labels.some((l) => matchText(f.option, l, x))));
    default: {
      const tag = p.tags.find((t) => t.Key === f.key.slice(4));
      return tag !== undefined && (f.values.length === 0 || f.values.includes(tag.Value));
    }
  }
}

export function pageStart(token: unknown): number {
  if (token === undefined) return 0;
  const text = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const start = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(start) || start < 0)
    throw new ServiceError('InvalidNextToken', "The specified token isn't valid.");
  return start;
}

export const nextToken = (start: number, max: number, total: number): string | undefined =>
  start + max < total ? Buffer.from(String(start + max)).toString('base64url') : undefined;

export function checkMax(max: unknown, limit: number): number {
  if (max === undefined) return limit;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > limit) {
    throw validation(
      `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${limit}`,
    );
  }
  return max;
}
