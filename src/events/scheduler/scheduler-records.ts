/** Reading Scheduler's records in a transaction: groups (with the implicit `default`), schedules, client tokens. */
import { createHash } from 'node:crypto';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import {
  conflict,
  DEFAULT_GROUP,
  notFound,
  type ScheduleGroupRecord,
  type ScheduleRecord,
  scheduleKey,
} from '../model/schedules.ts';

/** The group, or undefined; `default` exists without a record until it is tagged. */
export async function findGroup(reader: Reader, name: string): Promise<ScheduleGroupRecord | undefined> {
  const found = await reader.get<ScheduleGroupRecord>(Kind.SchedulerGroup, name);
  if (found) return found.value;
  if (name === DEFAULT_GROUP)
    return { name, state: 'ACTIVE', creationDate: 0, lastModificationDate: 0, tags: [] };
  return undefined;
}

export async function requireGroup(reader: Reader, name: string): Promise<ScheduleGroupRecord> {
  const group = await findGroup(reader, name);
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  return group;
}

/** A group schedules can be created in: it exists and is not being deleted. */
export async function requireActiveGroup(reader: Reader, name: string): Promise<ScheduleGroupRecord> {
  const group = await requireGroup(reader, name);
  if (group.state === 'DELETING') throw conflict(`Schedule group ${name} is being deleted.`);
  return group;
}

export async function requireSchedule(
  reader: Reader,
  group: string,
  name: string,
): Promise<{ version: number; value: ScheduleRecord }> {
  const found = await reader.get<ScheduleRecord>(Kind.SchedulerSchedule, scheduleKey(group, name));
  if (!found) throw notFound(`Schedule ${name} does not exist.`);
  return found;
}

/** Scheduler keeps client tokens like ECS does: 8 hours. */
const TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

interface TokenRecord {
  requestHash: string;
  expiresAt: number;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency: true when this token already made this request (answer as the first call did);
 * ConflictException when it came with a different one; false (and remembered) otherwise.
 */
export async function replayed(
  tx: Tx,
  operation: string,
  input: { ClientToken?: string },
  now: number,
): Promise<boolean> {
  const token = input.ClientToken;
  if (!token) return false;
  const { ClientToken: _token, ...rest } = input;
  const hash = createHash('sha256').update(stable(rest)).digest('hex');
  const key = `scheduler:${operation}/${token}`;
  const found = await tx.get<TokenRecord>(Kind.ClientToken, key);
  if (found && found.value.expiresAt > now) {
    if (found.value.requestHash === hash) return true;
    throw conflict(`The ClientToken ${token} was already used with a different request.`);
  }
  await tx.put<TokenRecord>(Kind.ClientToken, key, { requestHash: hash, expiresAt: now + TOKEN_TTL_MS });
  return false;
}
