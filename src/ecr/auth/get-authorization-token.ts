/** GetAuthorizationToken: a base64 `AWS:<password>` token for `docker login`, valid 12 hours. */
import type { GetAuthorizationTokenRequest, GetAuthorizationTokenResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { authorizationToken, issueRegistryPassword } from '../model/auth-token.ts';
import type { EcrContext } from '../model/records.ts';
import { invalidParameter, registryIdOf, registryOrigin } from '../model/repositories.ts';

/**
 * One token per registry asked for (ECR's registryIds is deprecated and answers the same token for
 * each); Longshore keeps the caller's account only, so another account's id is refused. The proxy
 * endpoint is `http://<registry host>`: the registry serves plain HTTP on loopback, which a default
 * Docker Engine accepts without configuration (docs/ecr.md); `https://` when the control plane
 * serves TLS (`--tls-cert`).
 */
export async function getAuthorizationToken(
  ctx: EcrContext,
  input: GetAuthorizationTokenRequest,
  _request: RequestContext,
): Promise<Wire<GetAuthorizationTokenResponse>> {
  const ids = input.registryIds ?? [ctx.partition.accountId];
  if (ids.length < 1 || ids.length > 10) {
    throw invalidParameter('registryIds', 'Member must have length between 1 and 10');
  }
  for (const id of ids) {
    if (registryIdOf(ctx, id) !== ctx.partition.accountId) {
      throw invalidParameter('registryIds', `Registry '${id}' is not the caller's registry`);
    }
  }
  const { password, expiresAt } = issueRegistryPassword(ctx, ctx.clock.now());
  const data = {
    authorizationToken: authorizationToken(password),
    expiresAt: epochSeconds(expiresAt),
    proxyEndpoint: registryOrigin(ctx),
  };
  return { authorizationData: ids.map(() => ({ ...data })) };
}
