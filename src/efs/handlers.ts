/** The table of implemented EFS operations. docs/api-coverage-efs.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { createAccessPoint, deleteAccessPoint, describeAccessPoints } from './access-points.ts';
import type { EfsContext } from './efs-service.ts';
import { createFileSystem, deleteFileSystem, describeFileSystems } from './file-systems.ts';
import { createMountTarget, deleteMountTarget, describeMountTargets } from './mount-targets.ts';
import {
  describeFileSystemPolicy,
  describeLifecycleConfiguration,
  putFileSystemPolicy,
  putLifecycleConfiguration,
} from './policies.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';

export const handlers: Readonly<Record<string, Handler<EfsContext>>> = {
  CreateFileSystem: { category: 'write', handle: createFileSystem },
  DescribeFileSystems: { category: 'read', handle: describeFileSystems },
  DeleteFileSystem: { category: 'write', handle: deleteFileSystem },
  CreateMountTarget: { category: 'write', handle: createMountTarget },
  DescribeMountTargets: { category: 'read', handle: describeMountTargets },
  DeleteMountTarget: { category: 'write', handle: deleteMountTarget },
  CreateAccessPoint: { category: 'write', handle: createAccessPoint },
  DescribeAccessPoints: { category: 'read', handle: describeAccessPoints },
  DeleteAccessPoint: { category: 'write', handle: deleteAccessPoint },
  PutFileSystemPolicy: { category: 'write', handle: putFileSystemPolicy },
  DescribeFileSystemPolicy: { category: 'read', handle: describeFileSystemPolicy },
  PutLifecycleConfiguration: { category: 'write', handle: putLifecycleConfiguration },
  DescribeLifecycleConfiguration: { category: 'read', handle: describeLifecycleConfiguration },
  TagResource: { category: 'write', handle: tagResource },
  UntagResource: { category: 'write', handle: untagResource },
  ListTagsForResource: { category: 'read', handle: listTagsForResource },
};
