/** DiscoverPollEndpoint: where an agent opens its control channel (and telemetry) connection. */
import type { Wire } from '../../core/wire.ts';
import type { DiscoverPollEndpointRequest, DiscoverPollEndpointResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../model/context.ts';

export async function discoverPollEndpoint(
  ctx: EcsContext,
  _input: Wire<DiscoverPollEndpointRequest>,
): Promise<Wire<DiscoverPollEndpointResponse>> {
  const endpoint = `${ctx.config.pollEndpoint}/`;
  return { endpoint, telemetryEndpoint: endpoint, serviceConnectEndpoint: endpoint };
}
