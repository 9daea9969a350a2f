/**
 * GetLogEvents' tokens in CloudWatch's form: `f/<56 digits>/s` (forward) and `b/<56 digits>/s`
 * (backward). The digits are the position between two events: the event's timestamp (20 digits)
 * and its id (36 digits). A forward token reads events after the position, a backward token
 * events before it.
 */
import type { Cursor } from '../model/event-store.ts';
import { invalidParameter } from '../model/errors.ts';

const TOKEN = /^([fb])\/(\d{20})(\d{36})\/s$/;

export interface Position {
  direction: 'f' | 'b';
  cursor: Cursor;
}

export function encodePosition(direction: 'f' | 'b', cursor: Cursor): string {
  return `${direction}/${String(cursor.timestamp).padStart(20, '0')}${String(cursor.id).padStart(36, '0')}/s`;
}

export function decodePosition(token: string): Position {
  const m = TOKEN.exec(token);
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return { direction: m[1] as 'f' | 'b', cursor: { timestamp: Number(m[2]), id: Number(m[3]) } };
}
