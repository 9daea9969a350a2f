/** Name rules of EventBridge resources (the model's patterns and lengths), checked before anything is read. */
import { constraintFailed } from './errors.ts';

const NAME = /^[.\-_A-Za-z0-9]+$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;
const CONNECTION_NAME = /^[.\-_A-Za-z0-9]+$/;

/** Rule names: 1-64 of `.-_A-Za-z0-9`. */
export function checkRuleName(name: string | undefined, member = 'name'): string {
  return checkName(name, member, NAME, 64);
}

/** Bus names in CreateEventBus: 1-256 of `/.-_A-Za-z0-9` (only partner buses may hold `/`). */
export function checkBusName(name: string | undefined, member = 'name'): string {
  return checkName(name, member, BUS_NAME, 256);
}

/** Connection and API destination names: 1-64 of `.-_A-Za-z0-9`. */
export function checkResourceName(name: string | undefined, member = 'name'): string {
  return checkName(name, member, CONNECTION_NAME, 64);
}

function checkName(name: string | undefined, member: string, pattern: RegExp, max: number): string {
  const value = name ?? '';
  if (value.length < 1)
    throw constraintFailed(member, value, 'Member must have length greater than or equal to 1');
  if (value.length > max)
    throw constraintFailed(member, value, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(value))
    throw constraintFailed(
      member,
      value,
      `Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`,
    );
  return value;
}
