/**
 * Runs image scans off the request path: a scan is a Kind.EcrScan record, written IN_PROGRESS by
 * StartImageScan or (scan on push) in the push's own transaction by `pushManifest`, then worked by
 * a per-store queue, one image at a time: manifest and config read, layers streamed through the
 * tar reader (gzip, zstd or plain), the inventory parsed, findings matched against the feed when
 * one is configured, and the record rewritten COMPLETE or FAILED. A record still IN_PROGRESS after
 * a restart is picked up again the first time the region's scans are touched (a push, a scan call
 * or DescribeImages), so a scan interrupted by a crash is redone, never lost.
 */
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import { Kind, type Store } from '../../store/store.ts';
import { type BlobStore, blobStoreFor } from '../model/blob-store.ts';
import { MediaType, onScanRequested, parseManifest } from '../model/images.ts';
import { type EcrContext, ecrKeys, type ImageRecord } from '../model/records.ts';
import { type Inventory, inventoryOf, keepBody, LayerFs } from './inventory.ts';
import { ecosystemOf, type Finding, findingsFor, loadFeed, type Severity } from './osv.ts';
import { readTar } from './tar.ts';

export type ScanStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';

/** Kind.EcrScan, keyed like the image (`ecrKeys.image`): the image's last scan. */
export interface ScanRecord {
  repositoryName: string;
  imageDigest: string;
  status: ScanStatus;
  description?: string;
  /** Epoch seconds the scan was requested: ECR's once-per-24-hours limit counts from here. */
  requestedAt: number;
  /** The scanned image's imagePushedAt: a record left by a deleted image of the same digest is stale. */
  imagePushedAt: number;
  /** Epoch seconds. */
  completedAt?: number;
  /** The feed's newest record (epoch seconds), when a feed was used. */
  vulnerabilitySourceUpdatedAt?: number;
  findings?: Finding[];
  /** What the scan found installed (Longshore's own: ECR has no field for it). */
  inventory?: Inventory;
}

export const COMPLETE_DESCRIPTION = 'The scan was completed successfully.';
export const UNSUPPORTED_DESCRIPTION =
  'UnsupportedImageError: The operating system and/or package manager are not supported.';

/** Whether an image record can be scanned (an image, not an index or an artifact). */
export function isScannable(image: ImageRecord): boolean {
  return (
    (image.imageManifestMediaType === MediaType.DockerManifest ||
      image.imageManifestMediaType === MediaType.OciManifest) &&
    image.artifactMediaType === undefined
  );
}

/** The image's scan, unless there is none or it belongs to an earlier image of the same digest. */
export async function currentScan(store: Store, image: ImageRecord): Promise<ScanRecord | undefined> {
  const scan = await store.get<ScanRecord>(
    Kind.EcrScan,
    ecrKeys.image(image.repositoryName, image.imageDigest),
  );
  if (!scan || scan.value.imagePushedAt !== image.imagePushedAt) return undefined;
  return scan.value;
}

interface StoreQueue {
  ctx: EcrContext;
  queued: Set<string>;
  order: string[];
  running: boolean;
  resumed: boolean;
  idle: Promise<void>;
  settle: () => void;
}

const queues = new WeakMap<Store, StoreQueue>();

function queueOf(ctx: EcrContext): StoreQueue {
  let q = queues.get(ctx.store);
  if (!q) {
    q = {
      ctx,
      queued: new Set(),
      order: [],
      running: false,
      resumed: false,
      idle: Promise.resolve(),
      settle: () => {},
    };
    queues.set(ctx.store, q);
  }
  return q;
}

/** Queues a scan whose IN_PROGRESS record is written; resumes the region's interrupted scans first. */
export function requestScan(ctx: EcrContext, repository: string, digest: string): void {
  resumeScans(ctx);
  enqueue(queueOf(ctx), ecrKeys.image(repository, digest));
}

/** Once per store and process: queues every scan left IN_PROGRESS (by a crash or a push before this module loaded). */
export function resumeScans(ctx: EcrContext): void {
  const q = queueOf(ctx);
  if (q.resumed) return;
  q.resumed = true;
  void ctx.store.list<ScanRecord>(Kind.EcrScan).then(
    (scans) => {
      for (const s of scans) if (s.value.status === 'IN_PROGRESS') enqueue(q, s.key);
    },
    () => {
      q.resumed = false;
    },
  );
}

/** Resolves when the region's queue is empty (tests). */
export function scansSettled(ctx: EcrContext): Promise<void> {
  return queueOf(ctx).idle;
}

function enqueue(q: StoreQueue, key: string): void {
  if (q.queued.has(key)) return;
  if (!q.running && q.order.length === 0) q.idle = new Promise<void>((r) => (q.settle = r));
  q.queued.add(key);
  q.order.push(key);
  if (!q.running) void drain(q);
}

async function drain(q: StoreQueue): Promise<void> {
  q.running = true;
  try {
    for (let key = q.order.shift(); key !== undefined; key = q.order.shift()) {
      try {
        await runScan(q.ctx, key);
      } catch {
        // The record stays IN_PROGRESS and is redone on the next resume.
      } finally {
        q.queued.delete(key);
      }
    }
  } finally {
    q.running = false;
    q.settle();
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runScan(ctx: EcrContext, key: string): Promise<void> {
  const stored = await ctx.store.get<ScanRecord>(Kind.EcrScan, key);
  if (stored?.value.status !== 'IN_PROGRESS') return;
  const scan = stored.value;
  const image = await ctx.store.get<ImageRecord>(Kind.EcrImage, key);
  if (!image || image.value.imagePushedAt !== scan.imagePushedAt) {
    await ctx.store.transact((tx) => tx.remove(Kind.EcrScan, key, stored.version)).catch(() => {});
    return;
  }
  let result: Partial<ScanRecord>;
  try {
    result = await scanImage(ctx, blobStoreFor(ctx.registryDir), image.value);
  } catch (error) {
    result = { status: 'FAILED', description: `ScanError: ${(error as Error).message}` };
  }
  const done: ScanRecord = { ...scan, ...result, completedAt: Math.floor(ctx.clock.now() / 1000) };
  await ctx.store.transact(async (tx) => {
    const now = await tx.get<ScanRecord>(Kind.EcrScan, key);
    // A newer request (after a delete and re-push) owns the record now.
    if (!now || now.value.requestedAt !== scan.requestedAt || now.value.status !== 'IN_PROGRESS') return;
    await tx.put(Kind.EcrScan, key, done, now.version);
  });
}

/** A layer blob's tar bytes, decompressed by what its first bytes say (gzip, zstd, or a plain tar). */
async function layerTar(blobs: BlobStore, digest: string): Promise<AsyncIterable<Buffer>> {
  const raw = blobs.read(digest);
  const it = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const rest = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    })(),
    { objectMode: false },
  );
  rest.on('close', () => raw.destroy());
  if (head[0] === 0x1f && head[1] === 0x8b) return pipeline(rest, createGunzip(), () => {});
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528)
    return pipeline(rest, createZstdDecompress(), () => {});
  return rest;
}

/** Scans one image: everything but the record bookkeeping. */
export async function scanImage(
  ctx: EcrContext,
  blobs: BlobStore,
  image: ImageRecord,
): Promise<Partial<ScanRecord>> {
  const bytes = await blobs.readAll(image.imageDigest);
  if (!bytes) throw new Error('the image manifest is not in the registry');
  const manifest = parseManifest(bytes, image.imageManifestMediaType);
  if (manifest.kind !== 'image' || !manifest.config) {
    return { status: 'FAILED', description: UNSUPPORTED_DESCRIPTION };
  }
  const config = await blobs.readAll(manifest.config.digest);
  let os: unknown;
  try {
    os = config ? (JSON.parse(config.toString('utf8')) as { os?: unknown }).os : undefined;
  } catch {
    os = undefined;
  }
  if (os !== undefined && os !== 'linux') return { status: 'FAILED', description: UNSUPPORTED_DESCRIPTION };
  const fs = new LayerFs();
  const layers = manifest.blobs.filter((d) => d !== manifest.config);
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    if (layer.urls && layer.urls.length > 0) continue; // foreign layers: not in this registry
    if ((await blobs.size(layer.digest)) === undefined) throw new Error(`layer ${layer.digest} is missing`);
    try {
      for await (const entry of readTar(await layerTar(blobs, layer.digest), keepBody)) fs.apply(i, entry);
    } catch (error) {
      throw new Error(`layer ${layer.digest} is not a readable tar: ${(error as Error).message}`);
    }
    await yieldToLoop();
  }
  const inventory = await inventoryOf(fs);
  if (inventory.managers.length === 0) {
    const why = inventory.unsupported.length > 0 ? ` (Longshore: ${inventory.unsupported.join('; ')})` : '';
    return { status: 'FAILED', description: `${UNSUPPORTED_DESCRIPTION}${why}`, inventory };
  }
  const result: Partial<ScanRecord> = {
    status: 'COMPLETE',
    description: COMPLETE_DESCRIPTION,
    inventory,
    findings: [],
  };
  const counted = `${inventory.packages.length} ${inventory.managers.join('/')} packages inventoried${
    inventory.os ? ` (${inventory.os.id}${inventory.os.versionId ? ` ${inventory.os.versionId}` : ''})` : ''
  }`;
  if (!ctx.vulnerabilityFeedDir) {
    // Zero findings must not read as "clean": say why there are none.
    result.description = `${COMPLETE_DESCRIPTION} Longshore: ${counted}; no vulnerability feed is configured (longshore up --vulnerability-feed DIR), so there are no findings.`;
    return result;
  }
  const feed = await loadFeed(ctx.vulnerabilityFeedDir);
  if (feed.updatedAt !== undefined) result.vulnerabilitySourceUpdatedAt = feed.updatedAt;
  const ecosystem = ecosystemOf(inventory.os);
  if (ecosystem) result.findings = findingsFor(feed, ecosystem, inventory.packages);
  else {
    result.description = `${COMPLETE_DESCRIPTION} Longshore: ${counted}; no OSV ecosystem is known for this OS, so there are no findings.`;
  }
  return result;
}

/** ECR's findingSeverityCounts: only the severities that occur. */
export function severityCounts(findings: Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

// Pushes to a repository with scanOnPush write the record; this queues it.
onScanRequested((ctx, repository, digest) => requestScan(ctx, repository, digest));
