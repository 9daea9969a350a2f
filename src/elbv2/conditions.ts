/**
 * Rule conditions as a request gives them (the old `Values` form for host-header and path-pattern,
 * or the `*Config` forms), checked against ELBv2's characters, lengths and per-rule limits, and
 * turned into records.
 */
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Wire } from '../core/wire.ts';
import { parseCidr } from '../core/ipv4.ts';
import { validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import type { ConditionRecord } from './model/records.ts';

const MAX_VALUE = 128;
const MAX_HEADER_NAME = 40;
const MAX_METHOD = 40;

/** The characters each field's values may hold (`*` and `?` are wildcards where allowed). */
const HOST = /^[A-Za-z0-9\-.*?]+$/;
const PATH = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const METHOD = /^[A-Z_-]+$/;

/** Fields a rule may have at most once; http-header and query-string may repeat. */
const ONCE = new Set(['host-header', 'path-pattern', 'http-request-method', 'source-ip']);

const wildcards = (s: string) => (s.match(/[*?]/g) ?? []).length;

function checkValue(field: string, value: string, pattern?: RegExp): void {
  if (value.length === 0 || value.length > MAX_VALUE) {
    throw validation(`Condition value '${value}' for '${field}' must be 1 to ${MAX_VALUE} characters`);
  }
  if (pattern && !pattern.test(value)) {
    throw validation(`Condition value '${value}' for '${field}' contains characters that are not allowed`);
  }
}

/** The values of a host-header or path-pattern condition, from either form but not both. */
function valuesOf(c: Wire<RuleCondition>, config: { Values?: string[] } | undefined, name: string): string[] {
  if (c.Values && c.Values.length > 0 && config) {
    throw validation(`You cannot specify both 'Values' and '${name}' in a '${c.Field}' condition`);
  }
  return config?.Values ?? c.Values ?? [];
}

function nonEmpty<T>(field: string, values: T[]): T[] {
  if (values.length === 0) throw validation(`A '${field}' condition must have at least one value`);
  return values;
}

const FIELDS = [
  'http-header',
  'http-request-method',
  'host-header',
  'path-pattern',
  'query-string',
  'source-ip',
];

function checkedCondition(c: Wire<RuleCondition>): ConditionRecord {
  const field = c.Field ?? '';
  if (!FIELDS.includes(field)) {
    throw validation(`Condition field '${field}' must be one of '[${FIELDS.join(', ')}]'`);
  }
  if (field !== 'host-header' && field !== 'path-pattern' && c.Values && c.Values.length > 0) {
    throw validation(
      `'Values' can only be used with 'host-header' and 'path-pattern' conditions, not '${field}'`,
    );
  }
  switch (field) {
    case 'host-header': {
      const values = nonEmpty(field, valuesOf(c, c.HostHeaderConfig, 'HostHeaderConfig'));
      for (const v of values) checkValue(field, v, HOST);
      return { field, values };
    }
    case 'path-pattern': {
      const values = nonEmpty(field, valuesOf(c, c.PathPatternConfig, 'PathPatternConfig'));
      for (const v of values) checkValue(field, v, PATH);
      return { field, values };
    }
    case 'http-header': {
      const name = c.HttpHeaderConfig?.HttpHeaderName ?? '';
      if (name.length === 0 || name.length > MAX_HEADER_NAME || !HEADER_NAME.test(name)) {
        throw validation(`HTTP header name '${name}' must be 1 to ${MAX_HEADER_NAME} token characters`);
      }
      const values = nonEmpty(field, c.HttpHeaderConfig?.Values ?? []);
      for (const v of values) checkValue(field, v);
      return { field, headerName: name, values };
    }
    case 'http-request-method': {
      const values = nonEmpty(field, c.HttpRequestMethodConfig?.Values ?? []);
      for (const v of values) {
        if (v.length > MAX_METHOD || !METHOD.test(v)) {
          throw validation(`HTTP request method '${v}' must be 1 to ${MAX_METHOD} of A-Z, '_' and '-'`);
        }
      }
      return { field, values };
    }
    case 'query-string': {
      const pairs = nonEmpty(field, c.QueryStringConfig?.Values ?? []);
      const values = pairs.map((p) => {
        if (p.Key !== undefined) checkValue(field, p.Key);
        checkValue(field, p.Value ?? '');
        return { ...(p.Key !== undefined ? { key: p.Key } : {}), value: p.Value ?? '' };
      });
      return { field, values };
    }
    case 'source-ip': {
      const values = nonEmpty(field, c.SourceIpConfig?.Values ?? []);
      for (const v of values) {
        if (!parseCidr(v, false) && !isIpv6Cidr(v)) {
          throw validation(`Source IP '${v}' must be an IPv4 or IPv6 CIDR block`);
        }
      }
      return { field, values };
    }
    default:
      throw validation(`Condition field '${field}' must be one of '[${FIELDS.join(', ')}]'`);
  }
}

function isIpv6Cidr(text: string): boolean {
  const m = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(text);
  return (
    !!m && m[1].includes(':') && Number(m[2]) <= 128 && /^[0-9A-Fa-f:]*(\d+\.\d+\.\d+\.\d+)?$/.test(m[1])
  );
}

/**
 * The rule's conditions, checked: at least one, host-header, path-pattern, http-request-method and
 * source-ip at most once each, and at most 5 values and 5 wildcards in all (ELBv2's
 * condition-values-per-alb-rule and condition-wildcards-per-alb-rule).
 */
export function checkedConditions(conditions: readonly Wire<RuleCondition>[] | undefined): ConditionRecord[] {
  if (!conditions || conditions.length === 0) throw validation('A rule must have at least one condition');
  const out = conditions.map(checkedCondition);
  const seen = new Set<string>();
  for (const c of out) {
    if (ONCE.has(c.field) && seen.has(c.field)) {
      throw validation(`A rule can have only one '${c.field}' condition`);
    }
    seen.add(c.field);
  }
  const texts = out.flatMap((c) =>
    c.field === 'query-string'
      ? c.values.map((v) => `${v.key ?? ''}${v.value}`)
      : c.field === 'http-header'
        ? c.values
        : c.field === 'host-header' || c.field === 'path-pattern'
          ? c.values
          : c.values.map(() => ''),
  );
  const maxValues = ACCOUNT_LIMITS['condition-values-per-alb-rule'];
  if (texts.length > maxValues) throw validation(`A rule can only have '${maxValues}' condition values`);
  const maxWildcards = ACCOUNT_LIMITS['condition-wildcards-per-alb-rule'];
  if (texts.reduce((n, t) => n + wildcards(t), 0) > maxWildcards) {
    throw validation(`A rule can only have '${maxWildcards}' wildcards`);
  }
  return out;
}
