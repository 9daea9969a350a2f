/** Longshore's own JSON API on the gateway (target prefix `Longshore_20261122`), signed like ECS calls. */
import { ProtocolName } from '../aws/protocols/protocol.ts';
import type { AwsService, ContextFor, Operation } from '../aws/service.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { mapSchedulerErrors } from '../ecs/model/scheduler-errors.ts';
import { ExplainPlacementRequest$, explainPlacement } from './explain-placement.ts';
import { InterruptSpotTaskRequest$, interruptSpotTask } from './interrupt-spot-task.ts';
import {
  CreateAgentJoinTokenRequest$,
  createAgentJoinToken,
  DeleteAgentJoinTokenRequest$,
  deleteAgentJoinToken,
  type JoinTokenContext,
  ListAgentJoinTokensRequest$,
  listAgentJoinTokens,
} from './agent-join-tokens.ts';
import {
  DescribeListenerAddressesRequest$,
  describeListenerAddresses,
  type ListenerAddressReport,
} from './describe-listener-addresses.ts';

export const LONGSHORE_TARGET_PREFIX = 'Longshore_20261122';

/**
 * `listenerAddresses`: where the load balancers' data plane listens, as it reported (empty when no
 * data plane runs). `joinTokens`: the root store agent join tokens live in (absent: no token
 * operations).
 */
export function longshoreService(
  contextFor: ContextFor<EcsContext>,
  listenerAddresses: () => readonly ListenerAddressReport[] = () => [],
  joinTokens?: JoinTokenContext,
): AwsService {
  const explain: Operation = {
    name: 'ExplainPlacement',
    input: ExplainPlacementRequest$,
    throttle: { category: 'longshoreRead', bucket: { burst: 100, rate: 20 } },
    handle: (input, request) => mapSchedulerErrors(explainPlacement(contextFor(request), input, request)),
  };
  const interrupt: Operation = {
    name: 'InterruptSpotTask',
    input: InterruptSpotTaskRequest$,
    throttle: { category: 'longshoreWrite', bucket: { burst: 100, rate: 20 } },
    handle: (input, request) => interruptSpotTask(contextFor(request), input),
  };
  const listeners: Operation = {
    name: 'DescribeListenerAddresses',
    input: DescribeListenerAddressesRequest$,
    throttle: { category: 'longshoreRead', bucket: { burst: 100, rate: 20 } },
    handle: (input, request) =>
      describeListenerAddresses(contextFor(request).store, input, listenerAddresses()),
  };
  const tokenOps: Operation[] = joinTokens
    ? [
        {
          name: 'CreateAgentJoinToken',
          input: CreateAgentJoinTokenRequest$,
          throttle: { category: 'longshoreWrite', bucket: { burst: 100, rate: 20 } },
          handle: (input, request) => createAgentJoinToken(joinTokens, input, request),
        },
        {
          name: 'ListAgentJoinTokens',
          input: ListAgentJoinTokensRequest$,
          throttle: { category: 'longshoreRead', bucket: { burst: 100, rate: 20 } },
          handle: () => listAgentJoinTokens(joinTokens),
        },
        {
          name: 'DeleteAgentJoinToken',
          input: DeleteAgentJoinTokenRequest$,
          throttle: { category: 'longshoreWrite', bucket: { burst: 100, rate: 20 } },
          handle: (input) => deleteAgentJoinToken(joinTokens, input),
        },
      ]
    : [];
  const all = [explain, interrupt, listeners, ...tokenOps];
  return {
    name: 'longshore',
    signingName: 'ecs',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: LONGSHORE_TARGET_PREFIX,
    operations: new Map(all.map((op) => [op.name, op])),
    modelOperations: all.map((op) => op.name),
  };
}
