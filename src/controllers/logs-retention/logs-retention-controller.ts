/**
 * Deletes CloudWatch Logs events that fell out of their group's retention, per region: a pass at
 * start and every `everyMs` (default 10 minutes; CloudWatch promises deletion within 72 hours).
 * Level-triggered: each pass lists the groups with a retention setting and deletes, in batches
 * of a few thousand events with a turn of the event loop between them, every event older than
 * `now - retentionInDays`; a pass cut short by a crash is simply done again.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { EventStore } from '../../logs/model/event-store.ts';
import type { LogGroupRecord } from '../../logs/model/records.ts';
import { expireGroupEvents } from '../../logs/model/retention.ts';
import { Kind, type Store } from '../../store/store.ts';
import { PeriodicResync } from '../periodic-resync.ts';

export const LOGS_RETENTION_EVERY_MS = 10 * 60_000;

export interface LogsRetentionOptions {
  store: Store;
  clock: Clock;
  /** The event store, or undefined while nothing has opened it (then there is nothing to expire). */
  events: () => EventStore | undefined;
  timers?: Timers;
  everyMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class LogsRetentionController {
  readonly #o: LogsRetentionOptions;
  readonly #resync: PeriodicResync;

  constructor(options: LogsRetentionOptions) {
    this.#o = options;
    this.#resync = new PeriodicResync({
      timers: options.timers ?? realTimers,
      everyMs: options.everyMs ?? LOGS_RETENTION_EVERY_MS,
      pass: async () => {
        await this.pass();
      },
      onError: (error) => options.log?.warn({ error: describeError(error) }, 'logs retention pass failed'),
    });
  }

  start(): void {
    this.#resync.soon();
  }

  stop(): void {
    this.#resync.stop();
  }

  /** One pass over the groups with a retention; returns how many events it deleted. */
  async pass(): Promise<number> {
    const groups = (await this.#o.store.list<LogGroupRecord>(Kind.LogGroup)).filter(
      (g) => g.value.retentionInDays !== undefined,
    );
    if (groups.length === 0) return 0;
    const events = this.#o.events();
    if (!events) return 0;
    let deleted = 0;
    for (const { value: group } of groups) {
      try {
        for (;;) {
          const step = await expireGroupEvents({ events }, group, this.#o.clock.now(), 1);
          deleted += step.deleted;
          if (step.done) break;
          await nextTurn();
        }
      } catch (error) {
        this.#o.log?.warn(
          { group: group.logGroupName, error: describeError(error) },
          'logs retention failed',
        );
      }
    }
    if (deleted > 0) this.#o.log?.info({ deleted }, 'expired log events');
    return deleted;
  }
}
