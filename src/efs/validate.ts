/** Input checks EFS makes beyond the model's required members, with its BadRequest error. */
import { badRequest } from './model/errors.ts';
import type { EfsTag } from './model/records.ts';

const FILE_SYSTEM_ID =
  /^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system\/fs-[0-9a-f]{8,40}|fs-[0-9a-f]{8,40})$/;
const ACCESS_POINT_ID =
  /^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:access-point\/fsap-[0-9a-f]{8,40}|fsap-[0-9a-f]{8,40})$/;
const MOUNT_TARGET_ID = /^fsmt-[0-9a-f]{8,40}$/;
/** Up to four components, none starting with a dot, none with a shell metacharacter. */
const PATH = /^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$/;
const PERMISSIONS = /^[0-7]{3,4}$/;
const MAX_ID = 4_294_967_295;
const TAG_KEY = /^(?![aA][wW][sS]:)([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u;
const TAG_VALUE = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

function check(re: RegExp, value: string | undefined, member: string): string {
  if (value === undefined || !re.test(value))
    throw badRequest(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${re.source}`,
    );
  return value;
}

export const checkFileSystemId = (v: string | undefined, member = 'fileSystemId') =>
  check(FILE_SYSTEM_ID, v, member);
export const checkAccessPointId = (v: string | undefined, member = 'accessPointId') =>
  check(ACCESS_POINT_ID, v, member);
export const checkMountTargetId = (v: string | undefined, member = 'mountTargetId') =>
  check(MOUNT_TARGET_ID, v, member);
export const checkPath = (v: string | undefined, member: string) => {
  if (v !== undefined && v.length > 100)
    throw badRequest(
      `1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  return check(PATH, v, member);
};
export const checkPermissions = (v: string | undefined, member: string) => check(PERMISSIONS, v, member);

export function checkPosixId(value: number | undefined, member: string): number {
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > MAX_ID)
    throw badRequest(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between 0 and ${MAX_ID}`,
    );
  return value;
}

/** At most 50 tags, keys unique (EFS's own limit). */
export function checkTags(tags: { Key?: string; Value?: string }[] | undefined): EfsTag[] {
  const out: EfsTag[] = [];
  for (const t of tags ?? []) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) throw badRequest(`Invalid tag key: ${key}`);
    if (value.length > 256 || !TAG_VALUE.test(value)) throw badRequest(`Invalid tag value: ${value}`);
    if (out.some((o) => o.Key === key)) throw badRequest(`Duplicate tag key: ${key}`);
    out.push({ Key: key, Value: value });
  }
  if (out.length > 50) throw badRequest('The number of tags exceeds the limit of 50.');
  return out;
}

/** Tags with `next` merged over `current` (same key: the new value). */
export function mergeTags(current: EfsTag[], next: EfsTag[]): EfsTag[] {
  const map = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of next) map.set(t.Key, t.Value);
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}

/** A page of `items` after `marker` (the first item's id of the page), and the next marker. */
export function page<T>(
  items: T[],
  idOf: (t: T) => string,
  marker: string | undefined,
  max: number | undefined,
  limit = 100,
): { items: T[]; next?: string } {
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    throw badRequest('MaxItems must be greater than 0.');
  const size = Math.min(max ?? limit, limit);
  let start = 0;
  if (marker) {
    start = items.findIndex((t) => idOf(t) === marker);
    if (start < 0) throw badRequest(`Invalid marker: ${marker}`);
  }
  const slice = items.slice(start, start + size);
  const next = items[start + size];
  return next ? { items: slice, next: idOf(next) } : { items: slice };
}
