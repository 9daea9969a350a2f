/**
 * Amazon ECR (prefix `ecr`): repository actions on `repository/<name>` (in `registryId`'s account
 * when given), with the repository's policy and tags looked up; registry-level actions and
 * GetAuthorizationToken on `*`. The registry's `docker push` / `pull` routes map to the same
 * actions (registry-actions.ts).
 */
import { arnIn, type ResourceRule, type Scope, type ServiceActions, str, strings } from './types.ts';

export const ecrRepository = (scope: Scope, name: string, registryId?: unknown) => ({
  arn: arnIn({ ...scope, accountId: str(registryId) ?? scope.accountId }, 'ecr', `repository/${name}`),
  ref: { type: 'ecr-repository' as const, id: name },
});

const repository: ResourceRule = (input, scope) => {
  const name = str(input.repositoryName);
  return name ? [ecrRepository(scope, name, input.registryId)] : ['*'];
};

const REPOSITORY_ACTIONS = [
  'BatchCheckLayerAvailability',
  'BatchDeleteImage',
  'BatchGetImage',
  'CompleteLayerUpload',
  'CreateRepository',
  'DeleteLifecyclePolicy',
  'DeleteRepository',
  'DeleteRepositoryPolicy',
  'DescribeImageReplicationStatus',
  'DescribeImageScanFindings',
  'DescribeImages',
  'GetDownloadUrlForLayer',
  'GetLifecyclePolicy',
  'GetLifecyclePolicyPreview',
  'GetRepositoryPolicy',
  'InitiateLayerUpload',
  'ListImageReferrers',
  'ListImages',
  'PutImage',
  'PutImageScanningConfiguration',
  'PutImageTagMutability',
  'PutLifecyclePolicy',
  'SetRepositoryPolicy',
  'StartImageScan',
  'StartLifecyclePolicyPreview',
  'UploadLayerPart',
] as const;

const byResourceArn: ResourceRule = (input) => {
  const arn = str(input.resourceArn);
  if (!arn) return ['*'];
  const name = arn.slice(arn.indexOf(':repository/') + ':repository/'.length);
  return arn.includes(':repository/') ? [{ arn, ref: { type: 'ecr-repository', id: name } }] : [arn];
};

export const ecrActions: ServiceActions = {
  prefix: 'ecr',
  operations: {
    ...Object.fromEntries(REPOSITORY_ACTIONS.map((op) => [op, repository])),
    DescribeRepositories: (input, scope) => {
      const names = strings(input.repositoryNames);
      return names.length > 0 ? names.map((n) => ecrRepository(scope, n, input.registryId)) : ['*'];
    },
    TagResource: byResourceArn,
    UntagResource: byResourceArn,
    ListTagsForResource: byResourceArn,
  },
};
