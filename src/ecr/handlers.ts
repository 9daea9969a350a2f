/** The table of implemented ECR operations. docs/api-coverage-ecr.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { getAuthorizationToken } from './auth/get-authorization-token.ts';
import { batchDeleteImage } from './images/batch-delete-image.ts';
import { batchGetImage } from './images/batch-get-image.ts';
import { describeImages } from './images/describe-images.ts';
import { listImages } from './images/list-images.ts';
import { putImage } from './images/put-image.ts';
import { batchCheckLayerAvailability } from './layers/batch-check-layer-availability.ts';
import { completeLayerUpload } from './layers/complete-layer-upload.ts';
import { getDownloadUrlForLayer } from './layers/get-download-url-for-layer.ts';
import { initiateLayerUpload } from './layers/initiate-layer-upload.ts';
import { uploadLayerPart } from './layers/upload-layer-part.ts';
import { deleteLifecyclePolicy } from './lifecycle/delete-lifecycle-policy.ts';
import { getLifecyclePolicy } from './lifecycle/get-lifecycle-policy.ts';
import { getLifecyclePolicyPreview } from './lifecycle/get-lifecycle-policy-preview.ts';
import { putLifecyclePolicy } from './lifecycle/put-lifecycle-policy.ts';
import { startLifecyclePolicyPreview } from './lifecycle/start-lifecycle-policy-preview.ts';
import type { EcrContext } from './model/records.ts';
import { deleteRepositoryPolicy } from './policies/delete-repository-policy.ts';
import { getRepositoryPolicy } from './policies/get-repository-policy.ts';
import { setRepositoryPolicy } from './policies/set-repository-policy.ts';
import { createRepository } from './repositories/create-repository.ts';
import { deleteRepository } from './repositories/delete-repository.ts';
import { describeRepositories } from './repositories/describe-repositories.ts';
import { putImageScanningConfiguration } from './repositories/put-image-scanning-configuration.ts';
import { putImageTagMutability } from './repositories/put-image-tag-mutability.ts';
import { describeImageScanFindings } from './scanning/describe-image-scan-findings.ts';
import { startImageScan } from './scanning/start-image-scan.ts';
import { listTagsForResource } from './tags/list-tags-for-resource.ts';
import { tagResource } from './tags/tag-resource.ts';
import { untagResource } from './tags/untag-resource.ts';

export const handlers: Readonly<Record<string, Handler<EcrContext>>> = {
  BatchCheckLayerAvailability: { category: 'images', handle: batchCheckLayerAvailability },
  BatchDeleteImage: { category: 'mutate', handle: batchDeleteImage },
  BatchGetImage: { category: 'images', handle: batchGetImage },
  CompleteLayerUpload: { category: 'images', handle: completeLayerUpload },
  CreateRepository: { category: 'mutate', handle: createRepository },
  DeleteLifecyclePolicy: { category: 'mutate', handle: deleteLifecyclePolicy },
  DeleteRepository: { category: 'mutate', handle: deleteRepository },
  DeleteRepositoryPolicy: { category: 'mutate', handle: deleteRepositoryPolicy },
  DescribeImageScanFindings: { category: 'read', handle: describeImageScanFindings },
  DescribeImages: { category: 'read', handle: describeImages },
  DescribeRepositories: { category: 'read', handle: describeRepositories },
  GetAuthorizationToken: { category: 'auth', handle: getAuthorizationToken },
  GetDownloadUrlForLayer: { category: 'images', handle: getDownloadUrlForLayer },
  GetLifecyclePolicy: { category: 'read', handle: getLifecyclePolicy },
  GetLifecyclePolicyPreview: { category: 'read', handle: getLifecyclePolicyPreview },
  GetRepositoryPolicy: { category: 'read', handle: getRepositoryPolicy },
  InitiateLayerUpload: { category: 'images', handle: initiateLayerUpload },
  ListImages: { category: 'read', handle: listImages },
  ListTagsForResource: { category: 'read', handle: listTagsForResource },
  PutImage: { category: 'putImage', handle: putImage },
  PutImageScanningConfiguration: { category: 'mutate', handle: putImageScanningConfiguration },
  PutImageTagMutability: { category: 'mutate', handle: putImageTagMutability },
  PutLifecyclePolicy: { category: 'mutate', handle: putLifecyclePolicy },
  SetRepositoryPolicy: { category: 'mutate', handle: setRepositoryPolicy },
  StartImageScan: { category: 'mutate', handle: startImageScan },
  StartLifecyclePolicyPreview: { category: 'mutate', handle: startLifecyclePolicyPreview },
  TagResource: { category: 'mutate', handle: tagResource },
  UntagResource: { category: 'mutate', handle: untagResource },
  UploadLayerPart: { category: 'images', handle: uploadLayerPart },
};
