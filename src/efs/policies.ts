/**
 * File system policies and lifecycle configuration: recorded and shown as EFS shows them. Neither
 * is enforced (docs/volumes.md): no NFS client asks the policy, and the backend has one storage class.
 */
import type {
  DescribeFileSystemPolicyRequest,
  DescribeLifecycleConfigurationRequest,
  FileSystemPolicyDescription,
  LifecycleConfigurationDescription,
  PutFileSystemPolicyRequest,
  PutLifecycleConfigurationRequest,
} from '@aws-sdk/client-efs';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind, type Tx } from '../store/store.ts';
import type { EfsContext } from './efs-service.ts';
import { badRequest, EfsErrorCode, efsError, fileSystemNotFound } from './model/errors.ts';
import { getFileSystem } from './model/lookups.ts';
import { type FileSystemRecord, idOf, type LifecyclePolicyRecord } from './model/records.ts';
import { checkFileSystemId } from './validate.ts';

const TO_IA = new Set([
  'AFTER_1_DAY',
  'AFTER_7_DAYS',
  'AFTER_14_DAYS',
  'AFTER_30_DAYS',
  'AFTER_60_DAYS',
  'AFTER_90_DAYS',
  'AFTER_180_DAYS',
  'AFTER_270_DAYS',
  'AFTER_365_DAYS',
]);
const TO_ARCHIVE = TO_IA;
const TO_PRIMARY = new Set(['AFTER_1_ACCESS']);

async function update(
  ctx: EfsContext,
  id: string,
  change: (fs: FileSystemRecord) => FileSystemRecord,
): Promise<FileSystemRecord> {
  return ctx.store.transact(async (tx: Tx) => {
    const stored = await tx.get<FileSystemRecord>(Kind.EfsFileSystem, id);
    if (!stored) throw fileSystemNotFound(id);
    const next = change(stored.value);
    await tx.put(Kind.EfsFileSystem, id, next, stored.version);
    return next;
  });
}

export async function putFileSystemPolicy(
  ctx: EfsContext,
  input: Wire<PutFileSystemPolicyRequest>,
  _request: RequestContext,
): Promise<Wire<FileSystemPolicyDescription>> {
  const id = idOf(checkFileSystemId(input.FileSystemId));
  const policy = input.Policy ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw efsError(EfsErrorCode.InvalidPolicyException, 'Policy is not valid JSON.');
  }
  const statements = (parsed as { Statement?: unknown })?.Statement;
  if (typeof parsed !== 'object' || parsed === null || statements === undefined)
    throw efsError(EfsErrorCode.InvalidPolicyException, 'Policy must contain a Statement.');
  await update(ctx, id, (fs) => ({ ...fs, policy }));
  return { FileSystemId: id, Policy: policy };
}

export async function describeFileSystemPolicy(
  ctx: EfsContext,
  input: Wire<DescribeFileSystemPolicyRequest>,
  _request: RequestContext,
): Promise<Wire<FileSystemPolicyDescription>> {
  const id = idOf(checkFileSystemId(input.FileSystemId));
  const fs = await getFileSystem(ctx.store, id);
  if (!fs) throw fileSystemNotFound(id);
  if (!fs.policy) throw efsError(EfsErrorCode.PolicyNotFound, `File System Policy for ${id} does not exist.`);
  return { FileSystemId: id, Policy: fs.policy };
}

export async function putLifecycleConfiguration(
  ctx: EfsContext,
  input: Wire<PutLifecycleConfigurationRequest>,
  _request: RequestContext,
): Promise<Wire<LifecycleConfigurationDescription>> {
  const id = idOf(checkFileSystemId(input.FileSystemId));
  const policies: LifecyclePolicyRecord[] = [];
  for (const p of input.LifecyclePolicies ?? []) {
    const set = [p.TransitionToIA, p.TransitionToPrimaryStorageClass, p.TransitionToArchive].filter(
      (v) => v !== undefined,
    );
    if (set.length !== 1) throw badRequest('Each lifecycle policy must specify exactly one transition.');
    if (p.TransitionToIA && !TO_IA.has(p.TransitionToIA))
      throw badRequest(`Invalid TransitionToIA: ${p.TransitionToIA}`);
    if (p.TransitionToArchive && !TO_ARCHIVE.has(p.TransitionToArchive))
      throw badRequest(`Invalid TransitionToArchive: ${p.TransitionToArchive}`);
    if (p.TransitionToPrimaryStorageClass && !TO_PRIMARY.has(p.TransitionToPrimaryStorageClass))
      throw badRequest(`Invalid TransitionToPrimaryStorageClass: ${p.TransitionToPrimaryStorageClass}`);
    policies.push({ ...p } as LifecyclePolicyRecord);
  }
  const keys = policies.map((p) => Object.keys(p)[0]);
  if (new Set(keys).size !== keys.length)
    throw badRequest('Each transition may appear in at most one lifecycle policy.');
  await update(ctx, id, (fs) => ({ ...fs, lifecyclePolicies: policies }));
  return { LifecyclePolicies: policies };
}

export async function describeLifecycleConfiguration(
  ctx: EfsContext,
  input: Wire<DescribeLifecycleConfigurationRequest>,
  _request: RequestContext,
): Promise<Wire<LifecycleConfigurationDescription>> {
  const id = idOf(checkFileSystemId(input.FileSystemId));
  const fs = await getFileSystem(ctx.store, id);
  if (!fs) throw fileSystemNotFound(id);
  return { LifecyclePolicies: fs.lifecyclePolicies };
}
