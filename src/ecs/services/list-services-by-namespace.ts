/**
 * ListServicesByNamespace: the services using a Cloud Map namespace through Service Connect.
 * Longshore has no Cloud Map yet, so no namespace exists and every call answers
 * NamespaceNotFoundException, as ECS does for a namespace that does not exist.
 */
import type { ListServicesByNamespaceRequest, ListServicesByNamespaceResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { checkRange, requireNonEmpty } from '../model/validation.ts';
import { namespaceNotFound } from '../model/services/service-rules.ts';

export async function listServicesByNamespace(
  _ctx: EcsContext,
  input: Wire<ListServicesByNamespaceRequest>,
): Promise<Wire<ListServicesByNamespaceResponse>> {
  requireNonEmpty('namespace', input.namespace);
  checkRange('maxResults', input.maxResults, 1, 100);
  throw namespaceNotFound();
}
