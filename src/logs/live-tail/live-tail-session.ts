/**
 * A StartLiveTail session without HTTP: the request checked as CloudWatch Logs checks it, its log
 * groups looked up, and the events PutLogEvents stores in them from then on (live-tail-bus.ts)
 * collected, filtered by stream names or prefixes and the filter pattern, and handed out once a
 * second as a `sessionUpdate` of at most 500 events (evenly sampled beyond that, `sampled: true`).
 */
import { groupNameOf } from '../identifiers.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { type IngestedBatch, liveTailBus } from '../model/live-tail-bus.ts';
import { checkStreamName } from '../model/names.ts';
import { cachedPattern } from '../model/pattern-cache.ts';
import type { LogsContext } from '../model/records.ts';
import { FilterPatternError, type FilterPattern } from '../filter-pattern/index.ts';

export const MAX_GROUPS = 10;
export const MAX_STREAMS = 100;
export const MAX_PATTERN_LENGTH = 1024;
/** Events per update; more are sampled down to this many. */
export const MAX_UPDATE_EVENTS = 500;
/** Sessions end with SessionTimeoutException after three hours. */
export const SESSION_MS = 3 * 60 * 60_000;
/** Events held between two updates at most (a flood beyond it is sampled by dropping). */
const MAX_PENDING = 10 * MAX_UPDATE_EVENTS;

export interface LiveTailRequest {
  logGroupIdentifiers: string[];
  logStreamNames?: string[];
  logStreamNamePrefixes?: string[];
  logEventFilterPattern?: string;
}

export interface LiveTailEvent {
  logStreamName: string;
  logGroupIdentifier: string;
  message: string;
  timestamp: number;
  ingestionTime: number;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The request, or the error CloudWatch Logs answers (nothing is looked up yet). */
export function checkLiveTailRequest(body: unknown): LiveTailRequest {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const groups = input.logGroupIdentifiers;
  if (groups === undefined)
    throw invalidParameter(
      "1 validation error detected: Value null at 'logGroupIdentifiers' failed to satisfy constraint: Member must not be null",
    );
  if (!strings(groups)) throw invalidParameter('logGroupIdentifiers must be a list of strings');
  if (groups.length < 1 || groups.length > MAX_GROUPS)
    throw validationFailed(
      'logGroupIdentifiers',
      `[${groups.length} identifiers]`,
      groups.length < 1
        ? 'Member must have length greater than or equal to 1'
        : `Member must have length less than or equal to ${MAX_GROUPS}`,
    );
  for (const g of groups)
    if (g.startsWith('arn:') && g.endsWith('*'))
      throw invalidParameter(`Log group ARN must not end with a wildcard: ${g}`);
  const out: LiveTailRequest = { logGroupIdentifiers: groups };
  for (const member of ['logStreamNames', 'logStreamNamePrefixes'] as const) {
    const v = input[member];
    if (v === undefined) continue;
    if (!strings(v)) throw invalidParameter(`${member} must be a list of strings`);
    if (v.length < 1 || v.length > MAX_STREAMS)
      throw validationFailed(
        member,
        `[${v.length} names]`,
        v.length < 1
          ? 'Member must have length greater than or equal to 1'
          : `Member must have length less than or equal to ${MAX_STREAMS}`,
      );
    for (const name of v) checkStreamName(name, member);
    out[member] = v;
  }
  if (out.logStreamNames && out.logStreamNamePrefixes)
    throw invalidParameter('logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.');
  if ((out.logStreamNames || out.logStreamNamePrefixes) && groups.length !== 1)
    throw invalidParameter(
      'logStreamNames and logStreamNamePrefixes can only be specified when exactly one log group is specified.',
    );
  const pattern = input.logEventFilterPattern;
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') throw invalidParameter('logEventFilterPattern must be a string');
    if (pattern.length > MAX_PATTERN_LENGTH)
      throw validationFailed(
        'logEventFilterPattern',
        pattern,
        `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
      );
    out.logEventFilterPattern = pattern;
  }
  return out;
}

/** Up to `max` of `events`, evenly spread, in order. */
export function sample<T>(events: readonly T[], max: number): T[] {
  if (events.length <= max) return [...events];
  return Array.from({ length: max }, (_, i) => events[Math.floor((i * events.length) / max)] as T);
}

export class LiveTailSession {
  readonly request: LiveTailRequest;
  readonly #pending: LiveTailEvent[] = [];
  readonly #stop: (() => void)[] = [];
  #dropped = false;

  private constructor(request: LiveTailRequest) {
    this.request = request;
  }

  /**
   * Looks the groups up (ResourceNotFoundException for a missing one, InvalidParameterException
   * for a malformed pattern or an ARN of another region or account) and starts collecting.
   */
  static async open(ctx: LogsContext, request: LiveTailRequest): Promise<LiveTailSession> {
    let pattern: FilterPattern | undefined;
    if (request.logEventFilterPattern?.trim()) {
      try {
        pattern = cachedPattern(request.logEventFilterPattern);
      } catch (error) {
        if (error instanceof FilterPatternError) throw invalidParameter('Invalid filter pattern');
        throw error;
      }
    }
    const groups = new Map<string, string>();
    for (const id of request.logGroupIdentifiers) {
      const name = groupNameOf(ctx.partition, { logGroupIdentifier: id });
      await getLogGroup(ctx.store, name);
      groups.set(name, id);
    }
    const session = new LiveTailSession(request);
    const names = request.logStreamNames ? new Set(request.logStreamNames) : undefined;
    const prefixes = request.logStreamNamePrefixes;
    const bus = liveTailBus(ctx.events);
    for (const [name, identifier] of groups) {
      session.#stop.push(
        bus.listen(name, (batch: IngestedBatch) => {
          if (names && !names.has(batch.logStreamName)) return;
          if (prefixes && !prefixes.some((p) => batch.logStreamName.startsWith(p))) return;
          for (const e of batch.events) {
            if (pattern && !pattern.match(e.message)) continue;
            if (session.#pending.length >= MAX_PENDING) {
              session.#dropped = true;
              continue;
            }
            session.#pending.push({
              logStreamName: batch.logStreamName,
              logGroupIdentifier: identifier,
              message: e.message,
              timestamp: e.timestamp,
              ingestionTime: batch.ingestionTime,
            });
          }
        }),
      );
    }
    return session;
  }

  /** The events since the last update (a `sessionUpdate`'s members). */
  takeUpdate(): { sessionMetadata: { sampled: boolean }; sessionResults: LiveTailEvent[] } {
    const all = this.#pending.splice(0);
    const dropped = this.#dropped;
    this.#dropped = false;
    return {
      sessionMetadata: { sampled: dropped || all.length > MAX_UPDATE_EVENTS },
      sessionResults: sample(all, MAX_UPDATE_EVENTS),
    };
  }

  close(): void {
    for (const stop of this.#stop.splice(0)) stop();
    this.#pending.length = 0;
  }
}
