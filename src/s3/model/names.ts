/** Bucket-name and key rules (the S3 user guide's "Bucket naming rules"; keys up to 1,024 bytes). */
import { s3Error } from './errors.ts';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why `name` is not a valid general purpose bucket name, or undefined when it is. */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET.test(name))
    return 'must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (IP_LIKE.test(name)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'must not start with a reserved prefix';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return 'must not end with a reserved suffix';
  return undefined;
}

/** InvalidBucketName unless `name` is valid. */
export function checkBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) throw s3Error('InvalidBucketName', { BucketName: name });
}

/** S3 keys are at most 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** KeyTooLongError when the key is over 1,024 bytes. */
export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw s3Error('KeyTooLongError', { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
}
