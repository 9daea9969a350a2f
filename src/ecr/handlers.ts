/** The table of implemented ECR operations. docs/api-coverage-ecr.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { getAuthorizationToken } from './auth/get-authorization-token.ts';
import { batchDeleteImage } from './images/batch-delete-image.ts';
import { batchGetImage } from './images/batch-get-image.ts';
import { describeImages } from './images/describe-images.ts';
import { listImages } from './images/list-images.ts';
import { listImageReferrers } from './images/list-image-referrers.ts';
import { deleteRegistryPolicy } from './policies/delete-registry-policy.ts';
import { getRegistryPolicy } from './policies/get-registry-policy.ts';
import { putRegistryPolicy } from './policies/put-registry-policy.ts';
import { describeRegistry } from './registry-settings/describe-registry.ts';
import { getAccountSetting } from './registry-settings/get-account-setting.ts';
import { putAccountSetting } from './registry-settings/put-account-setting.ts';
import { describeImageReplicationStatus } from './replication/describe-image-replication-status.ts';
import { putReplicationConfiguration } from './replication/put-replication-configuration.ts';
import { batchGetRepositoryScanningConfiguration } from './scanning/batch-get-repository-scanning-configuration.ts';
import { getRegistryScanningConfiguration } from './scanning/get-registry-scanning-configuration.ts';
import { putRegistryScanningConfiguration } from './scanning/put-registry-scanning-configuration.ts';
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
import { createRepositoryCreationTemplate } from './templates/create-repository-creation-template.ts';
import { deleteRepositoryCreationTemplate } from './templates/delete-repository-creation-template.ts';
import { describeRepositoryCreationTemplates } from './templates/describe-repository-creation-templates.ts';
import { updateRepositoryCreationTemplate } from './templates/update-repository-creation-template.ts';

export const handlers: Readonly<Record<string, Handler<EcrContext>>> = {
  BatchCheckLayerAvailability: { category: 'images', handle: batchCheckLayerAvailability },
  BatchDeleteImage: { category: 'mutate', handle: batchDeleteImage },
  BatchGetImage: { category: 'images', handle: batchGetImage },
  BatchGetRepositoryScanningConfiguration: {
    category: 'read',
    handle: batchGetRepositoryScanningConfiguration,
  },
  CompleteLayerUpload: { category: 'images', handle: completeLayerUpload },
  CreateRepository: { category: 'mutate', handle: createRepository },
  CreateRepositoryCreationTemplate: { category: 'mutate', handle: createRepositoryCreationTemplate },
  DeleteLifecyclePolicy: { category: 'mutate', handle: deleteLifecyclePolicy },
  DeleteRegistryPolicy: { category: 'mutate', handle: deleteRegistryPolicy },
  DeleteRepository: { category: 'mutate', handle: deleteRepository },
  DeleteRepositoryCreationTemplate: { category: 'mutate', handle: deleteRepositoryCreationTemplate },
  DeleteRepositoryPolicy: { category: 'mutate', handle: deleteRepositoryPolicy },
  DescribeImageReplicationStatus: { category: 'read', handle: describeImageReplicationStatus },
  DescribeImageScanFindings: { category: 'read', handle: describeImageScanFindings },
  DescribeImages: { category: 'read', handle: describeImages },
  DescribeRegistry: { category: 'read', handle: describeRegistry },
  DescribeRepositories: { category: 'read', handle: describeRepositories },
  DescribeRepositoryCreationTemplates: { category: 'read', handle: describeRepositoryCreationTemplates },
  GetAccountSetting: { category: 'read', handle: getAccountSetting },
  GetAuthorizationToken: { category: 'auth', handle: getAuthorizationToken },
  GetDownloadUrlForLayer: { category: 'images', handle: getDownloadUrlForLayer },
  GetLifecyclePolicy: { category: 'read', handle: getLifecyclePolicy },
  GetLifecyclePolicyPreview: { category: 'read', handle: getLifecyclePolicyPreview },
  GetRegistryPolicy: { category: 'read', handle: getRegistryPolicy },
  GetRegistryScanningConfiguration: { category: 'read', handle: getRegistryScanningConfiguration },
  GetRepositoryPolicy: { category: 'read', handle: getRepositoryPolicy },
  InitiateLayerUpload: { category: 'images', handle: initiateLayerUpload },
  ListImageReferrers: { category: 'read', handle: listImageReferrers },
  ListImages: { category: 'read', handle: listImages },
  ListTagsForResource: { category: 'read', handle: listTagsForResource },
  PutAccountSetting: { category: 'mutate', handle: putAccountSetting },
  PutImage: { category: 'putImage', handle: putImage },
  PutImageScanningConfiguration: { category: 'mutate', handle: putImageScanningConfiguration },
  PutImageTagMutability: { category: 'mutate', handle: putImageTagMutability },
  PutLifecyclePolicy: { category: 'mutate', handle: putLifecyclePolicy },
  PutRegistryPolicy: { category: 'mutate', handle: putRegistryPolicy },
  PutRegistryScanningConfiguration: { category: 'mutate', handle: putRegistryScanningConfiguration },
  PutReplicationConfiguration: { category: 'mutate', handle: putReplicationConfiguration },
  SetRepositoryPolicy: { category: 'mutate', handle: setRepositoryPolicy },
  StartImageScan: { category: 'mutate', handle: startImageScan },
  StartLifecyclePolicyPreview: { category: 'mutate', handle: startLifecyclePolicyPreview },
  TagResource: { category: 'mutate', handle: tagResource },
  UntagResource: { category: 'mutate', handle: untagResource },
  UpdateRepositoryCreationTemplate: { category: 'mutate', handle: updateRepositoryCreationTemplate },
  UploadLayerPart: { category: 'images', handle: uploadLayerPart },
};
