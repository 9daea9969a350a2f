/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`): IAM
 * replaces them with request context values in Resource and in condition values, in policies of
 * Version 2012-10-17 only (2008-10-17 treats them as literal text).
 */
import type { ConditionContext } from './context.ts';

const VARIABLE = /\$\{([^}]*)\}/g;

/** Whether `text` holds a policy variable. */
export const hasVariable = (text: string): boolean => text.includes('${');

/**
 * `text` with its variables replaced, or undefined when one names a key the request does not have
 * (or has several values for) and gives no default: IAM then treats the value as matching nothing.
 * `${*}`, `${?}` and `${$}` stand for the literal characters.
 */
export function substitute(text: string, context: ConditionContext): string | undefined {
  let missing = false;
  const out = text.replace(VARIABLE, (_whole, inner: string) => {
    const trimmed = inner.trim();
    if (trimmed === '*' || trimmed === '?' || trimmed === '$') return trimmed;
    const comma = trimmed.indexOf(',');
    const key = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim().toLowerCase();
    const value = context.get(key);
    if (typeof value === 'string') return value;
    if (comma >= 0) {
      const fallback = /^'(.*)'$/.exec(trimmed.slice(comma + 1).trim());
      if (fallback) return fallback[1]!;
    }
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}
