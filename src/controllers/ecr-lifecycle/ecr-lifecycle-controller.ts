/**
 * Applies ECR lifecycle policies on a schedule, per region: every repository with a policy is
 * evaluated at start and then every `everyMs` (default one hour; ECR promises within 24 hours),
 * and the images its rules expire are deleted (tags, then the image record, in one transaction
 * per repository; the registry's garbage collection frees the blobs nothing references any more).
 * Level-triggered: each pass recomputes from the stored images, so a pass cut short by a crash
 * is simply done again.
 */
import { describeError } from '../../core/errors.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { RepositoryRecord } from '../../ecr/model/records.ts';
import { Kind, type Store } from '../../store/store.ts';
import { PeriodicResync } from '../periodic-resync.ts';

export const ECR_LIFECYCLE_EVERY_MS = 60 * 60_000;

export interface EcrLifecycleOptions {
  store: Store;
  clock: Clock;
  timers?: Timers;
  everyMs?: number;
  /** The region and randomness for the `ECR Image Action` events of expired images; none: no events. */
  events?: { partition: Partition; rng: Rng };
  /** Called after a pass expired images (the registry then collects the blobs they held). */
  onExpired?: () => void;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class EcrLifecycleController {
  readonly #o: EcrLifecycleOptions;
  readonly #resync: PeriodicResync;

  constructor(options: EcrLifecycleOptions) {
    this.#o = options;
    this.#resync = new PeriodicResync({
      timers: options.timers ?? realTimers,
      everyMs: options.everyMs ?? ECR_LIFECYCLE_EVERY_MS,
      pass: async () => {
        await this.pass();
      },
      onError: (error) => options.log?.warn({ error: describeError(error) }, 'ECR lifecycle pass failed'),
    });
  }

  start(): void {
    this.#resync.soon();
  }

  stop(): void {
    this.#resync.stop();
  }

  /** One pass over every repository with a lifecycle policy; a repository that fails does not stop the others. */
  async pass(): Promise<number> {
    let expired = 0;
    const repositories = await this.#o.store.list<RepositoryRecord>(Kind.EcrRepository);
    if (!repositories.some((r) => r.value.lifecyclePolicyText)) return 0;
    // Loaded on the first pass with work to do: an installation without ECR never pays for it.
    const { expireImages } = await import('../../ecr/model/lifecycle-preview.ts');
    for (const { value: repo } of repositories) {
      const policy = repo.lifecyclePolicyText;
      if (!policy) continue;
      try {
        const done = await this.#o.store.transact((tx) =>
          expireImages(
            tx,
            repo.repositoryName,
            policy,
            this.#o.clock.now(),
            this.#o.events && { ...this.#o.events, clock: this.#o.clock },
          ),
        );
        expired += done.length;
        if (done.length > 0) {
          this.#o.log?.info(
            { repository: repo.repositoryName, expired: done.length },
            'ECR lifecycle policy expired images',
          );
        }
      } catch (error) {
        this.#o.log?.warn(
          { repository: repo.repositoryName, error: describeError(error) },
          'ECR lifecycle policy failed',
        );
      }
    }
    if (expired > 0) this.#o.onExpired?.();
    return expired;
  }
}
