/**
 * Replicates ECR images across regions, per source region: level-triggered on Kind.EcrReplication
 * records (written IN_PROGRESS by a push in the push's own transaction). A record's change enqueues
 * its key; a pass (`ecr/model/replication.ts`'s `replicateImage`) writes the image's records in each
 * pending destination region, then marks the destinations COMPLETE or FAILED. A resync at start and
 * every `resyncMs` enqueues every record still IN_PROGRESS (and drops those of deleted images), so a replication a crash interrupted is
 * finished after the restart (its writes are idempotent: nothing is duplicated).
 */
import type { Timers } from '../../core/timers.ts';
import type { EcrContext } from '../../ecr/model/records.ts';
import { Kind } from '../../store/store.ts';
import { KeyedController } from '../keyed-controller.ts';

export const ECR_REPLICATION_RESYNC_MS = 60_000;

export interface EcrReplicationOptions {
  /** The source region's ECR context. */
  ctx: EcrContext;
  /** A destination region's ECR context (made on first use, like a request's). */
  contextFor(region: string): EcrContext;
  timers?: Timers;
  resyncMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class EcrReplicationController {
  readonly #o: EcrReplicationOptions;
  readonly #keys: KeyedController;
  #unsubscribe: (() => void) | undefined;

  constructor(options: EcrReplicationOptions) {
    this.#o = options;
    this.#keys = new KeyedController({
      name: 'ECR replication',
      keyLabel: 'image',
      reconcile: async (key) => {
        // Loaded on the first image to replicate: an installation without replication never pays for it.
        const { replicateImage } = await import('../../ecr/model/replication.ts');
        const region = options.ctx.partition.region;
        for (const d of await replicateImage(options.ctx, key, options.contextFor)) {
          const where = { image: key, region, destination: d.region, registryId: d.registryId };
          if (d.status === 'COMPLETE') options.log?.info(where, 'ECR image replicated');
          else
            options.log?.warn(
              { ...where, failureCode: d.failureCode, reason: d.failureReason },
              'ECR image replication failed',
            );
        }
        return {};
      },
      // Every record still IN_PROGRESS; those of images that are gone are dropped.
      enqueueAll: async (add) => {
        const records = await options.ctx.store.list(Kind.EcrReplication);
        if (records.length === 0) return;
        const { sweepReplications } = await import('../../ecr/model/replication.ts');
        for (const key of await sweepReplications(options.ctx)) add(key);
      },
      resyncMs: options.resyncMs ?? ECR_REPLICATION_RESYNC_MS,
      workers: 2,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Watches the region's replication records and enqueues the pending ones. */
  start(): void {
    this.#unsubscribe = this.#o.ctx.store.watch((batch) => {
      if (batch.gap) this.#keys.resyncSoon();
      for (const change of batch.changes) {
        if (change.kind === Kind.EcrReplication && change.version !== undefined) this.#keys.add(change.key);
      }
    });
    this.#keys.resyncSoon();
  }

  /** Resolves when no replication is queued or running (tests). */
  idle(): Promise<void> {
    return this.#keys.idle();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#keys.stop();
  }
}
