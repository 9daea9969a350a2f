/**
 * The registry's `docker push` / `pull` routes as ECR authorizes them ("Private repository
 * policies" in the ECR user guide): pulling a manifest is ecr:BatchGetImage, a layer
 * ecr:GetDownloadUrlForLayer; pushing checks layers (ecr:BatchCheckLayerAvailability), uploads
 * them (ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload) and puts the
 * manifest (ecr:PutImage); deleting a manifest is ecr:BatchDeleteImage; listing tags
 * ecr:ListImages and the catalog ecr:DescribeRepositories.
 */
import { ecrRepository } from './ecr-actions.ts';
import type { ActionCheck, Scope } from './types.ts';

/** A registry route, as `ecr/registry/paths.ts` parses it. */
export type RegistryRoute =
  | { type: 'base' | 'token' | 'catalog' }
  | { type: 'uploads' | 'upload' | 'blob' | 'manifest' | 'tags' | 'referrers'; name: string };

/** The ECR action one registry request needs; undefined for the base and token endpoints. */
export function registryAction(route: RegistryRoute, method: string): string | undefined {
  const read = method === 'GET' || method === 'HEAD';
  switch (route.type) {
    case 'base':
    case 'token':
      return undefined;
    case 'catalog':
      return 'ecr:DescribeRepositories';
    case 'tags':
      return 'ecr:ListImages';
    case 'referrers':
      return 'ecr:ListImageReferrers';
    case 'manifest':
      if (method === 'DELETE') return 'ecr:BatchDeleteImage';
      return read ? 'ecr:BatchGetImage' : 'ecr:PutImage';
    case 'blob':
      // docker push asks HEAD on each layer first; a pull GETs it.
      if (method === 'HEAD') return 'ecr:BatchCheckLayerAvailability';
      if (method === 'DELETE') return 'ecr:BatchDeleteImage';
      return 'ecr:GetDownloadUrlForLayer';
    case 'uploads':
      return 'ecr:InitiateLayerUpload';
    case 'upload':
      if (method === 'PUT') return 'ecr:CompleteLayerUpload';
      if (read) return 'ecr:UploadLayerPart';
      return method === 'DELETE' ? 'ecr:CompleteLayerUpload' : 'ecr:UploadLayerPart';
  }
}

/** The check for one registry request, on the repository it names (`*` for the catalog). */
export function registryCheck(route: RegistryRoute, method: string, scope: Scope): ActionCheck | undefined {
  const action = registryAction(route, method);
  if (!action) return undefined;
  const resource = 'name' in route ? ecrRepository(scope, route.name) : { arn: '*' };
  return { action, resources: [resource] };
}
