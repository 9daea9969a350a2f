/**
 * CreateFileSystem, DescribeFileSystems, DeleteFileSystem. A file system's data lives in the
 * FileSystemBackend (made before the record is committed, removed after it is deleted). Create
 * answers `creating`, as EFS does; the record is `available` from then on (the directory exists).
 */
import type {
  CreateFileSystemRequest,
  DeleteFileSystemRequest,
  DescribeFileSystemsRequest,
  DescribeFileSystemsResponse,
  FileSystemDescription,
} from '@aws-sdk/client-efs';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { EfsContext } from './efs-service.ts';
import { badRequest, EfsErrorCode, efsError, fileSystemNotFound } from './model/errors.ts';
import { accessPointsOf, getFileSystem, listFileSystems, mountTargetsOf } from './model/lookups.ts';
import { EfsIdPrefix, type FileSystemRecord, idOf, newEfsId } from './model/records.ts';
import { findZone } from '../ec2/model/zones.ts';
import { checkFileSystemId, checkTags, page } from './validate.ts';
import { fileSystemView } from './views.ts';

const PERFORMANCE_MODES = new Set(['generalPurpose', 'maxIO']);
const THROUGHPUT_MODES = new Set(['bursting', 'provisioned', 'elastic']);

export async function createFileSystem(
  ctx: EfsContext,
  input: Wire<CreateFileSystemRequest>,
  _request: RequestContext,
): Promise<Wire<FileSystemDescription>> {
  const token = input.CreationToken ?? '';
  if (token.length < 1 || token.length > 64)
    throw badRequest('CreationToken must be between 1 and 64 characters.');
  const performanceMode = input.PerformanceMode ?? 'generalPurpose';
  if (!PERFORMANCE_MODES.has(performanceMode))
    throw badRequest(`Invalid PerformanceMode: ${performanceMode}`);
  const throughputMode = input.ThroughputMode ?? (performanceMode === 'maxIO' ? 'bursting' : 'elastic');
  if (!THROUGHPUT_MODES.has(throughputMode)) throw badRequest(`Invalid ThroughputMode: ${throughputMode}`);
  const provisioned = input.ProvisionedThroughputInMibps;
  if (throughputMode === 'provisioned' && provisioned === undefined)
    throw badRequest('ProvisionedThroughputInMibps is required when ThroughputMode is provisioned.');
  if (throughputMode !== 'provisioned' && provisioned !== undefined)
    throw badRequest('ProvisionedThroughputInMibps can only be set when ThroughputMode is provisioned.');
  if (provisioned !== undefined && (provisioned < 1 || provisioned > 3414))
    throw badRequest('ProvisionedThroughputInMibps must be between 1 and 3414.');
  if (input.KmsKeyId && !input.Encrypted) throw badRequest('KmsKeyId requires Encrypted to be true.');
  if (performanceMode === 'maxIO' && throughputMode === 'elastic')
    throw badRequest('Elastic throughput mode is not supported with Max I/O performance mode.');
  const zone = input.AvailabilityZoneName
    ? findZone(ctx.partition.region, input.AvailabilityZoneName)
    : undefined;
  if (input.AvailabilityZoneName && !zone)
    throw efsError(
      EfsErrorCode.UnsupportedAvailabilityZone,
      `Availability zone ${input.AvailabilityZoneName} is not supported.`,
    );
  const tags = checkTags(input.Tags);
  const id = newEfsId(ctx.rng, EfsIdPrefix.FileSystem);
  const now = ctx.clock.now();
  const record: FileSystemRecord = {
    fileSystemId: id,
    creationToken: token,
    ownerId: ctx.partition.accountId,
    creationTime: now,
    performanceMode: performanceMode as FileSystemRecord['performanceMode'],
    throughputMode: throughputMode as FileSystemRecord['throughputMode'],
    ...(provisioned !== undefined ? { provisionedThroughputInMibps: provisioned } : {}),
    encrypted: input.Encrypted ?? false,
    ...(input.Encrypted
      ? {
          kmsKeyId:
            input.KmsKeyId ??
            `arn:aws:kms:${ctx.partition.region}:${ctx.partition.accountId}:alias/aws/elasticfilesystem`,
        }
      : {}),
    ...(zone ? { availabilityZoneName: zone.zoneName, availabilityZoneId: zone.zoneId } : {}),
    // EFS turns automatic backups on by default for One Zone file systems only.
    backup: input.Backup ?? zone !== undefined,
    tags,
    path: ctx.backend.pathOf(id),
    lifecyclePolicies: [],
  };
  const existing = (await listFileSystems(ctx.store)).find((f) => f.creationToken === token);
  if (existing) throw alreadyExists(existing);
  await ctx.backend.create(id);
  try {
    await ctx.store.transact(async (tx) => {
      // Checked again inside the transaction: two creates with one token at once make one file system.
      const again = (await listFileSystems(tx)).find((f) => f.creationToken === token);
      if (again) throw alreadyExists(again);
      await tx.put(Kind.EfsFileSystem, id, record, 'absent');
    });
  } catch (error) {
    await ctx.backend.remove(id);
    throw error;
  }
  return fileSystemView(ctx.partition, record, 'creating', 0, { bytes: 6144, at: now });
}

function alreadyExists(fs: FileSystemRecord) {
  return efsError(
    EfsErrorCode.FileSystemAlreadyExists,
    `File system '${fs.fileSystemId}' already exists with creation token '${fs.creationToken}'`,
    { FileSystemId: fs.fileSystemId },
  );
}

export async function describeFileSystems(
  ctx: EfsContext,
  input: Wire<DescribeFileSystemsRequest>,
  _request: RequestContext,
): Promise<Wire<DescribeFileSystemsResponse>> {
  if (input.FileSystemId && input.CreationToken)
    throw badRequest('Only one of FileSystemId or CreationToken may be specified.');
  let list: FileSystemRecord[];
  if (input.FileSystemId) {
    const fs = await getFileSystem(ctx.store, idOf(checkFileSystemId(input.FileSystemId)));
    if (!fs) throw fileSystemNotFound(idOf(input.FileSystemId));
    list = [fs];
  } else {
    list = (await listFileSystems(ctx.store))
      .filter((f) => !input.CreationToken || f.creationToken === input.CreationToken)
      .sort((a, b) => a.creationTime - b.creationTime || (a.fileSystemId < b.fileSystemId ? -1 : 1));
  }
  const { items, next } = page(list, (f) => f.fileSystemId, input.Marker, input.MaxItems);
  const now = ctx.clock.now();
  const FileSystems = await Promise.all(
    items.map(async (fs) =>
      fileSystemView(
        ctx.partition,
        fs,
        'available',
        (await mountTargetsOf(ctx.store, fs.fileSystemId)).length,
        {
          bytes: await ctx.backend.sizeInBytes(fs.fileSystemId),
          at: now,
        },
      ),
    ),
  );
  return {
    ...(input.Marker ? { Marker: input.Marker } : {}),
    FileSystems,
    ...(next ? { NextMarker: next } : {}),
  };
}

export async function deleteFileSystem(
  ctx: EfsContext,
  input: Wire<DeleteFileSystemRequest>,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const id = idOf(checkFileSystemId(input.FileSystemId));
  await ctx.store.transact(async (tx) => {
    if (!(await getFileSystem(tx, id))) throw fileSystemNotFound(id);
    if ((await mountTargetsOf(tx, id)).length > 0)
      throw efsError(EfsErrorCode.FileSystemInUse, `File system '${id}' has mount targets created in it`);
    // Its access points go with it.
    for (const ap of await accessPointsOf(tx, id)) await tx.remove(Kind.EfsAccessPoint, ap.accessPointId);
    await tx.remove(Kind.EfsFileSystem, id);
  });
  await ctx.backend.remove(id);
  return {};
}
