/**
 * Bucket operations: CreateBucket (its LocationConstraint must be the region the request is signed
 * for; us-east-1 takes none), ListBuckets, HeadBucket, GetBucketLocation, DeleteBucket (empty
 * buckets only: no objects and no multipart uploads in progress).
 */
import { ProtocolError } from '../aws/errors.ts';
import { Kind } from '../store/store.ts';
import { bucketOf, isoDate, readSmallBody, type S3Call, sendEmpty, sendXml } from './call.ts';
import { noSuchBucket, s3Error } from './model/errors.ts';
import { checkBucketName } from './model/names.ts';
import type { BucketRecord } from './model/records.ts';
import { child, parseXml, tag, text } from './xml.ts';

const US_EAST_1 = 'us-east-1';

export async function createBucket(call: S3Call): Promise<void> {
  const name = call.target.bucket ?? '';
  checkBucketName(name);
  const body = (await readSmallBody(call, 64 * 1024)).trim();
  let constraint: string | undefined;
  if (body) {
    const doc = parseXml(body);
    if (doc.name !== 'CreateBucketConfiguration') throw s3Error('MalformedXML');
    const value = child(doc, 'LocationConstraint')?.text.trim();
    if (value) constraint = value;
  }
  const signed = call.caller.region;
  if (constraint === US_EAST_1)
    throw s3Error('InvalidLocationConstraint', { LocationConstraint: constraint });
  if (constraint === undefined && signed !== US_EAST_1) throw s3Error('IllegalLocationConstraintException');
  if (constraint !== undefined && constraint !== signed) {
    throw s3Error(
      'IllegalLocationConstraintException',
      undefined,
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const region = constraint ?? US_EAST_1;
  const created = await call.ctx.store.transact(async (tx) => {
    const existing = await tx.get<BucketRecord>(Kind.S3Bucket, name);
    if (existing) return false;
    const record: BucketRecord = { name, region, createdAt: call.now, accountId: call.ctx.accountId };
    await tx.put(Kind.S3Bucket, name, record, 'absent');
    return true;
  });
  // us-east-1 answers 200 again to its owner ("legacy"); every other region BucketAlreadyOwnedByYou.
  if (!created && region !== US_EAST_1) throw s3Error('BucketAlreadyOwnedByYou', { BucketName: name });
  sendEmpty(call, 200, { location: `/${name}` });
}

export async function listBuckets(call: S3Call): Promise<void> {
  const all = await call.ctx.store.list<BucketRecord>(Kind.S3Bucket);
  const regionFilter = call.query.get('bucket-region');
  const prefix = call.query.get('prefix') ?? '';
  const maxParam = call.query.get('max-buckets');
  const max = maxParam === null ? 10_000 : Number(maxParam);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) {
    throw s3Error(
      'InvalidArgument',
      { ArgumentName: 'max-buckets', ArgumentValue: maxParam },
      'Argument max-buckets must be an integer between 1 and 10000',
    );
  }
  const token = call.query.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const matching = all
    .map((r) => r.value)
    .filter(
      (b) => b.name.startsWith(prefix) && (!regionFilter || b.region === regionFilter) && b.name > after,
    );
  const page = matching.slice(0, max);
  const more = matching.length > page.length;
  const buckets = page
    .map((b) =>
      tag(
        'Bucket',
        text('Name', b.name) + text('CreationDate', isoDate(b.createdAt)) + text('BucketRegion', b.region),
      ),
    )
    .join('');
  const owner = tag('Owner', text('ID', call.ctx.accountId) + text('DisplayName', 'longshore'));
  sendXml(
    call,
    'ListAllMyBucketsResult',
    owner +
      tag('Buckets', buckets) +
      (more ? text('ContinuationToken', Buffer.from(page[page.length - 1].name).toString('base64url')) : '') +
      (prefix ? text('Prefix', prefix) : ''),
  );
}

export async function headBucket(call: S3Call): Promise<void> {
  const name = call.target.bucket ?? '';
  const found = await call.ctx.store.get<BucketRecord>(Kind.S3Bucket, name);
  if (!found) throw noSuchBucket(name);
  // HEAD answers the region in a header; signed for another region it is S3's 301 without a body.
  if (found.value.region !== call.caller.region) {
    throw new ProtocolError('PermanentRedirect', 'The bucket is in another region.', 301, {
      Region: found.value.region,
    });
  }
  sendEmpty(call, 200, { 'x-amz-bucket-region': found.value.region, 'x-amz-access-point-alias': 'false' });
}

export async function getBucketLocation(call: S3Call): Promise<void> {
  const name = call.target.bucket ?? '';
  const found = await call.ctx.store.get<BucketRecord>(Kind.S3Bucket, name);
  if (!found) throw noSuchBucket(name);
  // us-east-1 is the empty LocationConstraint.
  const region = found.value.region === US_EAST_1 ? '' : found.value.region;
  sendXml(call, 'LocationConstraint', region);
}

export async function deleteBucket(call: S3Call): Promise<void> {
  const bucket = await bucketOf(call);
  await call.ctx.store.transact(async (tx) => {
    const objects = await tx.list(Kind.S3Object, { prefix: `${bucket.name}/` });
    const uploads = await tx.list(Kind.S3Upload, { prefix: `${bucket.name}/` });
    if (objects.length > 0 || uploads.length > 0)
      throw s3Error('BucketNotEmpty', { BucketName: bucket.name });
    await tx.remove(Kind.S3Bucket, bucket.name);
  });
  sendEmpty(call, 204);
}
