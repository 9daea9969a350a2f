/** The attribute tables' building blocks: a key's default and its value check, and applying a Modify call's changes. */
import { invalidConfiguration, validation } from './errors.ts';

/** One attribute: its default and the check of a value (undefined: valid, else why not). */
export interface AttributeSpec {
  default: string;
  check: (value: string) => string | undefined;
}

export const bool = (): ((v: string) => string | undefined) => (v) =>
  v === 'true' || v === 'false' ? undefined : 'must be true or false';
export const oneOf =
  (...values: string[]) =>
  (v: string) =>
    values.includes(v) ? undefined : `must be one of: ${values.join(', ')}`;
export const intIn =
  (min: number, max: number, alsoZero = false) =>
  (v: string) => {
    if (!/^\d{1,9}$/.test(v)) return `must be an integer between ${min} and ${max}`;
    const n = Number(v);
    if (alsoZero && n === 0) return undefined;
    return n >= min && n <= max ? undefined : `must be between ${min} and ${max}${alsoZero ? ' or 0' : ''}`;
  };
export const text = (max: number) => (v: string) =>
  v.length <= max ? undefined : `must be at most ${max} characters`;
/** A bucket name as S3 takes it (empty: none). */
export const bucket = () => (v: string) =>
  v === '' || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) ? undefined : 'must be a valid S3 bucket name';
/** `off` or a count / percentage (target_group_health.*). */
export const offOr = (min: number, max: number) => (v: string) =>
  v === 'off' ? undefined : intIn(min, max)(v);

export const spec = (d: string, check: (v: string) => string | undefined): AttributeSpec => ({
  default: d,
  check,
});

/** ModifyLoadBalancerAttributes and ModifyTargetGroupAttributes take at most 20 at once. */
const MAX_ATTRIBUTES = 20;

/**
 * `set` with `changes` applied, every key and value checked: an unknown key is ValidationError, a
 * value out of its range InvalidConfigurationRequest (as ELBv2 answers them).
 */
export function applyChanges(
  specs: Readonly<Record<string, AttributeSpec>>,
  what: 'Load balancer' | 'Target group' | 'Listener',
  set: Readonly<Record<string, string>>,
  changes: readonly { Key?: string; Value?: string }[],
): Record<string, string> {
  if (changes.length === 0) throw validation('At least one attribute must be specified');
  if (changes.length > MAX_ATTRIBUTES) {
    throw validation(`You can specify at most ${MAX_ATTRIBUTES} attributes at a time`);
  }
  const out = { ...set };
  for (const change of changes) {
    const key = change.Key ?? '';
    const s = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!s) throw validation(`${what} attribute key '${key}' is not recognized`);
    const value = change.Value ?? '';
    const problem = s.check(value);
    if (problem) {
      throw invalidConfiguration(`${what} attribute '${key}' value '${value}' is not valid: it ${problem}`);
    }
    out[key] = value;
  }
  return out;
}
