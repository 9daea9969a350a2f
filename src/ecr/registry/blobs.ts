/**
 * Blobs and uploads: HEAD/GET (with Range), DELETE of an unreferenced blob, and the upload
 * session (POST start, monolithic with `?digest=`, cross-repository `?mount=&from=`; PATCH
 * chunks with Content-Range; PUT to finish; GET status; DELETE). Bytes stream straight to disk.
 */
import { Kind } from '../../store/store.ts';
import { DIGEST_PATTERN, DigestMismatch, UploadMissing } from '../model/blob-store.ts';
import { RegistryError, repositoryOf } from '../model/images.ts';
import { ecrKeys, type UploadRecord } from '../model/records.ts';
import { hasBody, type RegistryCall, send } from './call.ts';

const UPLOAD_ID = /^[a-f0-9]{32}$/;

function checkDigest(digest: string | null): string {
  if (!digest || !DIGEST_PATTERN.test(digest)) {
    throw new RegistryError('DIGEST_INVALID', 400, 'provided digest did not match uploaded content', {
      digest,
    });
  }
  return digest;
}

const blobUnknown = (digest: string) =>
  new RegistryError('BLOB_UNKNOWN', 404, 'blob unknown to registry', { digest });
const uploadUnknown = (id: string) =>
  new RegistryError('BLOB_UPLOAD_UNKNOWN', 404, 'blob upload unknown to registry', { uuid: id });

/** HEAD or GET of a blob; `Range: bytes=a-b` answers 206 (416 when it cannot be satisfied). */
export async function getBlob(call: RegistryCall, digest: string, head: boolean): Promise<void> {
  const { blobs, res } = call;
  checkDigest(digest);
  const size = await blobs.size(digest);
  if (size === undefined) throw blobUnknown(digest);
  await blobs.touch(digest, call.now);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = call.req.headers.range;
  if (range !== undefined) {
    const parsed = parseRange(range, size);
    if (!parsed) {
      send(res, 416, { 'Content-Range': `bytes */${size}` });
      return;
    }
    [start, end] = parsed;
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, {
    'Docker-Distribution-API-Version': 'registry/2.0',
    ...headers,
    'Content-Length': length,
  });
  if (head || length === 0) {
    res.end();
    return;
  }
  let sent: boolean;
  try {
    sent = await blobs.send(digest, start, end, res);
  } catch {
    // The headers are out: a read failure can only cut the answer short.
    res.destroy();
    return;
  }
  if (sent) res.end();
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`; undefined when unsatisfiable or not one range. */
export function parseRange(header: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return undefined;
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return undefined;
  return [start, end];
}

/** DELETE of a blob: only one no image references (any repository, any region); else UNSUPPORTED. */
export async function deleteBlob(call: RegistryCall, digest: string): Promise<void> {
  checkDigest(digest);
  if ((await call.blobs.size(digest)) === undefined) throw blobUnknown(digest);
  const referenced = await call.collector.referenced();
  if (referenced.has(digest)) {
    throw new RegistryError(
      'UNSUPPORTED',
      405,
      'The blob is referenced by an image; delete the image instead.',
      {
        digest,
      },
    );
  }
  await call.blobs.gate.exclusive(async () => {
    const again = await call.collector.referenced();
    if (!again.has(digest)) await call.blobs.removeBlob(digest);
  });
  send(call.res, 202, {});
}

const uploadLocation = (name: string, id: string) => `/v2/${name}/blobs/uploads/${id}`;
const rangeOf = (offset: number) => `0-${Math.max(offset - 1, 0)}`;

/** POST: a mount, a monolithic upload (`?digest=`), or a new upload session. */
export async function startUpload(call: RegistryCall, name: string): Promise<void> {
  const { ctx, blobs, url, res } = call;
  const mount = url.searchParams.get('mount');
  if (mount !== null) {
    const from = url.searchParams.get('from');
    // A scoped token must grant pull on the source; otherwise the client uploads, as distribution has it.
    const source =
      from && call.allows(from, 'pull')
        ? await ctx.store.get(Kind.EcrRepository, ecrKeys.repository(from))
        : undefined;
    if (source && DIGEST_PATTERN.test(mount) && (await blobs.touch(mount, call.now))) {
      call.req.resume();
      send(res, 201, { Location: `/v2/${name}/blobs/${mount}`, 'Docker-Content-Digest': mount });
      return;
    }
  }
  const id = ctx.rng.hex(16);
  const digest = url.searchParams.get('digest');
  if (digest !== null && mount === null) {
    checkDigest(digest);
    await blobs.withUpload(id, async () => {
      await blobs.createUpload(id);
      try {
        const size = await blobs.append(id, 0, call.req);
        await finishOrThrow(call, id, size, digest);
      } catch (error) {
        await blobs.removeUpload(id);
        throw error;
      }
    });
    send(res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
    return;
  }
  call.req.resume();
  await blobs.createUpload(id);
  const record: UploadRecord = { repositoryName: name, uploadId: id, offset: 0, startedAt: call.now };
  await ctx.store.transact((tx) => tx.put(Kind.EcrUpload, ecrKeys.upload(name, id), record, 'absent'));
  send(res, 202, {
    Location: uploadLocation(name, id),
    Range: rangeOf(0),
    'Docker-Upload-UUID': id,
  });
}

async function finishOrThrow(call: RegistryCall, id: string, size: number, digest: string): Promise<void> {
  try {
    await call.blobs.finish(id, size, digest);
  } catch (error) {
    if (error instanceof DigestMismatch) {
      throw new RegistryError('DIGEST_INVALID', 400, 'provided digest did not match uploaded content', {
        digest,
        actual: error.actual,
      });
    }
    throw error;
  }
}

async function uploadOf(call: RegistryCall, name: string, id: string) {
  if (!UPLOAD_ID.test(id)) throw uploadUnknown(id);
  const stored = await call.ctx.store.get<UploadRecord>(Kind.EcrUpload, ecrKeys.upload(name, id));
  if (!stored) throw uploadUnknown(id);
  return stored;
}

/** `Content-Range: a-b` (or `bytes a-b`): the first offset and the length it announces. */
function contentRange(header: string | undefined): { start: number; length: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/\d+|\/\*)?$/.exec(header.trim());
  if (!m)
    throw new RegistryError('BLOB_UPLOAD_INVALID', 400, 'blob upload invalid', { contentRange: header });
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start)
    throw new RegistryError('BLOB_UPLOAD_INVALID', 400, 'blob upload invalid', { contentRange: header });
  return { start, length: end - start + 1 };
}

/** Appends the request body to an upload after checking Content-Range; returns the new offset. */
async function appendChunk(
  call: RegistryCall,
  name: string,
  id: string,
  version: number,
  offset: number,
): Promise<number> {
  const { blobs, ctx, res } = call;
  const range = contentRange(call.req.headers['content-range']);
  if (range && range.start !== offset) {
    res.setHeader('Connection', 'close');
    res.setHeader('Location', uploadLocation(name, id));
    res.setHeader('Range', rangeOf(offset));
    throw new RegistryError('BLOB_UPLOAD_INVALID', 416, 'Requested range not satisfiable', {
      offset,
      contentRange: call.req.headers['content-range'],
    });
  }
  let size: number;
  try {
    size = await blobs.append(id, offset, call.req);
  } catch (error) {
    if (error instanceof UploadMissing) throw uploadUnknown(id);
    throw error;
  }
  if (range && size - offset !== range.length) {
    await blobs.truncate(id, offset);
    throw new RegistryError('SIZE_INVALID', 400, 'provided length did not match content length', {
      expected: range.length,
      received: size - offset,
    });
  }
  const record = (await ctx.store.get<UploadRecord>(Kind.EcrUpload, ecrKeys.upload(name, id)))?.value;
  if (!record) throw uploadUnknown(id);
  await ctx.store.transact((tx) =>
    tx.put(Kind.EcrUpload, ecrKeys.upload(name, id), { ...record, offset: size }, version),
  );
  return size;
}

/** PATCH: one chunk. */
export async function patchUpload(call: RegistryCall, name: string, id: string): Promise<void> {
  await uploadOf(call, name, id);
  const size = await call.blobs.withUpload(id, async () => {
    const current = await uploadOf(call, name, id);
    return appendChunk(call, name, id, current.version, current.value.offset);
  });
  send(call.res, 202, { Location: uploadLocation(name, id), Range: rangeOf(size), 'Docker-Upload-UUID': id });
}

/** PUT `?digest=`: the last chunk (if any), then the digest check and the blob made visible. */
export async function finishUpload(call: RegistryCall, name: string, id: string): Promise<void> {
  const { blobs, ctx, res } = call;
  await uploadOf(call, name, id);
  const digest = checkDigest(call.url.searchParams.get('digest'));
  await blobs.withUpload(id, async () => {
    const current = await uploadOf(call, name, id);
    let size = current.value.offset;
    if (hasBody(call.req)) size = await appendChunk(call, name, id, current.version, size);
    else call.req.resume();
    try {
      await finishOrThrow(call, id, size, digest);
    } catch (error) {
      if (error instanceof RegistryError && error.registryCode === 'DIGEST_INVALID') {
        await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
      }
      if (error instanceof UploadMissing) throw uploadUnknown(id);
      throw error;
    }
    await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
  });
  send(res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
}

/** GET: where an upload stands. */
export async function uploadStatus(call: RegistryCall, name: string, id: string): Promise<void> {
  const { value } = await uploadOf(call, name, id);
  send(call.res, 204, {
    Location: uploadLocation(name, id),
    Range: rangeOf(value.offset),
    'Docker-Upload-UUID': id,
  });
}

/** DELETE: cancels an upload. */
export async function cancelUpload(call: RegistryCall, name: string, id: string): Promise<void> {
  await uploadOf(call, name, id);
  await call.blobs.withUpload(id, async () => {
    await call.ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
    await call.blobs.removeUpload(id);
  });
  send(call.res, 204, {});
}

/** The repository must exist in the caller's region (NAME_UNKNOWN otherwise). */
export async function requireRepository(call: RegistryCall, name: string): Promise<void> {
  await repositoryOf(call.ctx, call.ctx.store, name);
}
