/** DiscoverPollEndpoint: where an agent opens its control channel (and telemetry) connection. */
import type { Wire } from '../../core/wire.ts';
import type { DiscoverPollEndpointRequest, DiscoverPollEndpointResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../context.ts';

/** The path of the control channel's WebSocket on the control plane's port. */
export const AGENT_CHANNEL_PATH = '/agent/v1/connect';

export async function discoverPollEndpoint(
  ctx: EcsContext,
  _input: Wire<DiscoverPollEndpointRequest>,
): Promise<Wire<DiscoverPollEndpointResponse>> {
  const endpoint = `${ctx.config.pollEndpoint}/`;
  return { endpoint, telemetryEndpoint: endpoint, serviceConnectEndpoint: endpoint };
}
