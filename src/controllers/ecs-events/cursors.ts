/**
 * What an emitter last published for one record, kept in the store (Kind.EcsEventCursor) and
 * written in the same transaction as the events it accounts for: an event exists exactly when its
 * cursor has moved past it, so a crash can neither lose nor repeat one.
 */

/** Cursor keys: the record's kind, then its own store key (`task/<cluster>/<id>` ...). */
export const CursorKind = {
  Task: 'task',
  ContainerInstance: 'container-instance',
  Service: 'service',
} as const;
export type CursorKind = (typeof CursorKind)[keyof typeof CursorKind];

export function cursorKey(kind: CursorKind, recordKey: string): string {
  return `${kind}/${recordKey}`;
}

/** The kind and record key of a cursor key (the inverse of `cursorKey`). */
export function parseCursorKey(key: string): { kind: CursorKind; recordKey: string } | undefined {
  for (const kind of Object.values(CursorKind)) {
    if (key.startsWith(`${kind}/`)) return { kind, recordKey: key.slice(kind.length + 1) };
  }
  return undefined;
}

/** A task: the `version` DescribeTasks showed in the last event, and its lastStatus then. */
export interface TaskCursor {
  version: number;
  lastStatus: string;
}

/** A container instance: what the last event showed of what can change it. */
export interface InstanceCursor {
  version: number;
  status: string;
  agentConnected: boolean;
}

/** A service: the newest service event already turned into actions, and each deployment's last state. */
export interface ServiceCursor {
  /** Id and createdAt (epoch s) of the newest service event looked at. */
  lastEventId?: string;
  lastEventAt?: number;
  /**
   * Deployment id -> the rolloutState and reason of its last `ECS Deployment State Change`, and
   * when its current rollout began (epoch ms; a rollback to it begins a new one).
   */
  deployments: Record<string, { state: string; reason: string; since?: number }>;
}
