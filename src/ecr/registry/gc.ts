/**
 * The registry's garbage collector: frees blobs that no image of any repository in any region
 * references (after a grace period by mtime, so a blob uploaded for a manifest not pushed yet
 * survives), upload files without a record, and upload sessions abandoned for a day. It runs soon
 * after an image is deleted and at most hourly otherwise, driven by requests (no timer to stop).
 */
import { Kind } from '../../store/store.ts';
import type { BlobStore, CollectResult } from '../model/blob-store.ts';
import type { EcrContext, ImageRecord, UploadRecord } from '../model/records.ts';

/** An upload session untouched this long is abandoned. */
export const UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;
const PERIOD_MS = 60 * 60 * 1000;
/** cli/regions.ts's record of the regions used (read here: the registry may not import cli/). */
const REGIONS_KEY = 'regions';

export interface CollectorOptions {
  contextFor: (region: string) => EcrContext;
  home: string;
  blobs: BlobStore;
  log: {
    debug(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    info?(obj: object, msg: string): void;
  };
}

export class Collector {
  readonly #o: CollectorOptions;
  #running: Promise<CollectResult> | undefined;
  #again = false;
  #lastRun = 0;

  constructor(options: CollectorOptions) {
    this.#o = options;
  }

  /** Every region with ECR records: the home region and the ones cli/regions.ts remembered. */
  async regions(): Promise<EcrContext[]> {
    const home = this.#o.contextFor(this.#o.home);
    const known = await home.store.get<{ regions: string[] }>(Kind.Meta, REGIONS_KEY);
    const names = new Set([this.#o.home, ...(known?.value.regions ?? [])]);
    return [...names].map((r) => this.#o.contextFor(r));
  }

  /** Every digest an image holds: manifests themselves and what they reference. */
  async referenced(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const ctx of await this.regions()) {
      for (const { value } of await ctx.store.list<ImageRecord>(Kind.EcrImage)) {
        out.add(value.imageDigest);
        for (const d of value.references) out.add(d);
      }
    }
    return out;
  }

  /** Upload ids still in progress; sessions abandoned for a day lose their record (their file goes next). */
  async liveUploads(now: number): Promise<Set<string>> {
    const live = new Set<string>();
    for (const ctx of await this.regions()) {
      for (const { key, value, version } of await ctx.store.list<UploadRecord>(Kind.EcrUpload)) {
        if (now - value.startedAt > UPLOAD_EXPIRY_MS) {
          await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, key, version)).catch(() => {});
          continue;
        }
        live.add(value.uploadId);
      }
    }
    return live;
  }

  /** One collection now (joins a running one, and runs again after it when asked to). */
  run(now: number): Promise<CollectResult> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#lastRun = now;
    this.#running = this.#o.blobs
      .collect({ now, referenced: () => this.referenced(), liveUploads: () => this.liveUploads(now) })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.soon(now);
        }
      });
    return this.#running;
  }

  /** A collection in the background (after an image was deleted); failures are logged, never thrown. */
  soon(now: number): void {
    this.run(now)
      .then((r) => {
        if (r.blobs > 0 || r.uploads > 0) this.#o.log.debug({ ...r }, 'registry garbage collected');
      })
      .catch((error: unknown) =>
        this.#o.log.debug({ error: String(error) }, 'registry garbage collection failed'),
      );
  }

  /** Called on every request: a collection when the last one is an hour old. */
  tick(now: number): void {
    if (now - this.#lastRun >= PERIOD_MS && !this.#running) this.soon(now);
  }
}
