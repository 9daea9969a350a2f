/** The resources CreateTags, DeleteTags and DescribeTags reach, found by their id's prefix. */
import { ServiceError } from '../core/errors.ts';
import { Kind, type Reader, type Tx } from '../store/store.ts';
import {
  Ec2ErrorCode,
  groupNotFound,
  networkInterfaceNotFound,
  subnetNotFound,
  vpcNotFound,
} from './model/errors.ts';
import type { Ec2Tag } from './model/records.ts';
import { TaggableType } from './tags.ts';

interface TaggableKind {
  prefix: string;
  kind: Kind;
  type: TaggableType;
  notFound: (id: string) => ServiceError;
}

const KINDS: readonly TaggableKind[] = [
  { prefix: 'vpc-', kind: Kind.Vpc, type: TaggableType.Vpc, notFound: vpcNotFound },
  { prefix: 'subnet-', kind: Kind.Subnet, type: TaggableType.Subnet, notFound: subnetNotFound },
  { prefix: 'sg-', kind: Kind.SecurityGroup, type: TaggableType.SecurityGroup, notFound: groupNotFound },
  {
    prefix: 'eni-',
    kind: Kind.NetworkInterface,
    type: TaggableType.NetworkInterface,
    notFound: networkInterfaceNotFound,
  },
];

/** Every record of these kinds has `tags`. */
interface Tagged {
  tags: Ec2Tag[];
}

/** Rewrites the tags of the resource `id` (its NotFound error when absent; InvalidID for other ids). */
export async function updateTags(tx: Tx, id: string, change: (tags: Ec2Tag[]) => Ec2Tag[]): Promise<void> {
  const kind = KINDS.find((k) => id.startsWith(k.prefix) && !id.startsWith('eni-attach-'));
  if (!kind) throw new ServiceError(Ec2ErrorCode.InvalidID, `The ID '${id}' is not valid`);
  const stored = await tx.get<Tagged>(kind.kind, id);
  if (!stored) throw kind.notFound(id);
  await tx.put<Tagged>(kind.kind, id, { ...stored.value, tags: change(stored.value.tags) }, stored.version);
}

export interface TagRow {
  resourceId: string;
  resourceType: TaggableType;
  key: string;
  value: string;
}

/** Every tag of every taggable resource of the region. */
export async function allTags(reader: Reader): Promise<TagRow[]> {
  const rows: TagRow[] = [];
  for (const kind of KINDS) {
    for (const record of await reader.list<Tagged>(kind.kind)) {
      for (const tag of record.value.tags) {
        rows.push({ resourceId: record.key, resourceType: kind.type, key: tag.key, value: tag.value });
      }
    }
  }
  return rows;
}
