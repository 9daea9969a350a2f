/**
 * Manifests (PUT/GET/HEAD/DELETE by tag or digest), tag listing, the referrers API and the
 * catalog. ECR's rules: a tag cannot be deleted through the registry (UNSUPPORTED; delete the image
 * by digest, or untag with BatchDeleteImage), an immutable tag never moves, manifests are capped at 4 MiB.
 */
import { Kind } from '../../store/store.ts';
import { DIGEST_PATTERN } from '../model/blob-store.ts';
import {
  deleteImage,
  isDigest,
  MAX_MANIFEST_BYTES,
  MediaType,
  pushManifest,
  RegistryError,
  referrersOf,
  resolveImage,
} from '../model/images.ts';
import { ecrKeys, type ImageRecord, type RepositoryRecord, type TagRecord } from '../model/records.ts';
import { type RegistryCall, send, sendJson } from './call.ts';

/** lastRecordedPullTime moves at most this often (a pull is a GET of the manifest, not a HEAD). */
const PULL_TIME_RESOLUTION_S = 60;

const manifestUnknown = (reference: string) =>
  new RegistryError(
    'MANIFEST_UNKNOWN',
    404,
    'Requested image not found',
    isDigest(reference) ? { digest: reference } : { tag: reference },
  );

/** GET or HEAD. */
export async function getManifest(
  call: RegistryCall,
  name: string,
  reference: string,
  head: boolean,
): Promise<void> {
  const { ctx, blobs } = call;
  const image = await resolveImage(ctx.store, name, reference);
  if (!image) throw manifestUnknown(reference);
  const bytes = await blobs.readAll(image.imageDigest);
  if (!bytes) throw manifestUnknown(reference);
  const headers = {
    'Content-Type': image.imageManifestMediaType,
    'Docker-Content-Digest': image.imageDigest,
    ETag: `"${image.imageDigest}"`,
  };
  if (head) {
    send(call.res, 200, { ...headers, 'Content-Length': bytes.length });
    return;
  }
  send(call.res, 200, headers, bytes);
  recordPull(call, image);
}

/** Updates lastRecordedPullTime in the background (never fails the pull). */
function recordPull(call: RegistryCall, image: ImageRecord): void {
  const seconds = Math.floor(call.now) / 1000;
  if (
    image.lastRecordedPullTime !== undefined &&
    seconds - image.lastRecordedPullTime < PULL_TIME_RESOLUTION_S
  )
    return;
  const key = ecrKeys.image(image.repositoryName, image.imageDigest);
  call.ctx.store
    .transact(async (tx) => {
      const current = await tx.get<ImageRecord>(Kind.EcrImage, key);
      if (!current) return;
      const last = current.value.lastRecordedPullTime;
      if (last !== undefined && seconds - last < PULL_TIME_RESOLUTION_S) return;
      await tx.put(Kind.EcrImage, key, { ...current.value, lastRecordedPullTime: seconds }, current.version);
    })
    .catch((error: unknown) => call.log.debug({ error: String(error) }, 'recording a pull time failed'));
}

/** Reads a manifest body within the 4 MiB limit (413 SIZE_INVALID beyond). */
async function readManifestBody(call: RegistryCall): Promise<Buffer> {
  const tooLarge = () => {
    call.res.setHeader('Connection', 'close');
    return new RegistryError(
      'SIZE_INVALID',
      413,
      `manifest is larger than the ${MAX_MANIFEST_BYTES} byte limit`,
      {
        limit: MAX_MANIFEST_BYTES,
      },
    );
  };
  if (Number(call.req.headers['content-length'] ?? 0) > MAX_MANIFEST_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of call.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** PUT: 201 with the digest (and `OCI-Subject` for an artifact naming a subject). */
export async function putManifest(call: RegistryCall, name: string, reference: string): Promise<void> {
  const bytes = await readManifestBody(call);
  const pushed = await pushManifest(call.ctx, call.blobs, {
    repository: name,
    reference,
    bytes,
    contentType: call.req.headers['content-type'],
    now: call.now,
  });
  const headers: Record<string, string> = {
    Location: `/v2/${name}/manifests/${pushed.digest}`,
    'Docker-Content-Digest': pushed.digest,
  };
  if (pushed.parsed.subject) headers['OCI-Subject'] = pushed.parsed.subject.digest;
  send(call.res, 201, headers);
}

/** DELETE by digest (the image and its tags); by tag: UNSUPPORTED, as ECR. */
export async function deleteManifest(call: RegistryCall, name: string, reference: string): Promise<void> {
  if (!isDigest(reference)) {
    throw new RegistryError('UNSUPPORTED', 400, 'The operation is unsupported.', {
      reason: 'delete the image by digest, or untag it with BatchDeleteImage',
    });
  }
  if (!DIGEST_PATTERN.test(reference))
    throw new RegistryError('DIGEST_INVALID', 400, 'invalid digest', { digest: reference });
  const removed = await deleteImage(call.ctx, name, reference);
  if (removed === undefined) throw manifestUnknown(reference);
  call.collector.soon(call.now);
  send(call.res, 202, {});
}

/** `n` and `last` of a listing; `n` is capped at 1000 (ECR's page size). */
function page(call: RegistryCall): { n: number; last: string | undefined } {
  const raw = call.url.searchParams.get('n');
  const n = raw === null || raw === '' ? 1000 : Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new RegistryError('UNSUPPORTED', 400, 'invalid pagination', { n: raw });
  }
  return { n: Math.min(n, 1000), last: call.url.searchParams.get('last') ?? undefined };
}

function paginate(all: string[], n: number, last: string | undefined): { items: string[]; more: boolean } {
  const sorted = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const from = last === undefined ? sorted : sorted.filter((t) => t > last);
  return { items: from.slice(0, n), more: from.length > n };
}

/** GET tags/list with `n`/`last` and a `Link` to the next page. */
export async function listTags(call: RegistryCall, name: string): Promise<void> {
  const { n, last } = page(call);
  const tags = await call.ctx.store.list<TagRecord>(Kind.EcrTag, { prefix: ecrKeys.tagsOf(name) });
  const { items, more } = paginate(
    tags.map((t) => t.value.imageTag),
    n,
    last,
  );
  const headers: Record<string, string> = {};
  if (more && items.length > 0) {
    headers.Link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(items[items.length - 1])}>; rel="next"`;
  }
  sendJson(call.res, 200, { name, tags: items }, headers);
}

/** GET _catalog: the region's repositories. */
export async function listCatalog(call: RegistryCall): Promise<void> {
  const { n, last } = page(call);
  const repos = await call.ctx.store.list<RepositoryRecord>(Kind.EcrRepository);
  const { items, more } = paginate(
    repos.map((r) => r.value.repositoryName),
    n,
    last,
  );
  const headers: Record<string, string> = {};
  if (more && items.length > 0) {
    headers.Link = `</v2/_catalog?n=${n}&last=${encodeURIComponent(items[items.length - 1])}>; rel="next"`;
  }
  sendJson(call.res, 200, { repositories: items }, headers);
}

/** GET referrers/<digest>: an OCI index of the manifests whose `subject` is the digest (`artifactType` filter). */
export async function listReferrers(call: RegistryCall, name: string, digest: string): Promise<void> {
  if (!DIGEST_PATTERN.test(digest))
    throw new RegistryError('DIGEST_INVALID', 400, 'invalid digest', { digest });
  const filter = call.url.searchParams.get('artifactType') ?? undefined;
  const manifests = await referrersOf(
    call.ctx.store,
    call.blobs,
    name,
    digest,
    filter === undefined ? undefined : [filter],
  );
  const headers: Record<string, string> = { 'Content-Type': MediaType.OciIndex };
  if (filter !== undefined) headers['OCI-Filters-Applied'] = 'artifactType';
  send(
    call.res,
    200,
    headers,
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }),
  );
}
