/** Load balancer and target group names as ELBv2 takes them: 1-32 letters, digits and hyphens, no hyphen at either end. */
import { validation } from './model/errors.ts';

const MAX_NAME = 32;

export function checkName(what: 'Load balancer' | 'Target group', name: string): string {
  if (name.length === 0) throw validation(`${what} name cannot be empty`);
  if (name.length > MAX_NAME) throw validation(`${what} name cannot be longer than ${MAX_NAME} characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw validation(
      `${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`,
    );
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    throw validation(`${what} name '${name}' cannot begin or end with a hyphen`);
  }
  if (what === 'Load balancer' && name.toLowerCase().startsWith('internal-')) {
    throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
  }
  return name;
}
