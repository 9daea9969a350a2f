/** Longshore's own JSON API on the gateway (target prefix `Longshore_20261122`), signed like ECS calls. */
import { ProtocolName } from '../aws/protocols/protocol.ts';
import type { AwsService, ContextFor, Operation } from '../aws/service.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { mapSchedulerErrors } from '../ecs/model/scheduler-errors.ts';
import { ExplainPlacementRequest$, explainPlacement } from './explain-placement.ts';
import { InterruptSpotTaskRequest$, interruptSpotTask } from './interrupt-spot-task.ts';
import {
  DescribeListenerAddressesRequest$,
  describeListenerAddresses,
  type ListenerAddressReport,
} from './describe-listener-addresses.ts';

export const LONGSHORE_TARGET_PREFIX = 'Longshore_20261122';

/**
 * `listenerAddresses`: where the load balancers' data plane listens, as it reported (empty when no
 * data plane runs).
 */
export function longshoreService(
  contextFor: ContextFor<EcsContext>,
  listenerAddresses: () => readonly ListenerAddressReport[] = () => [],
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
  return {
    name: 'longshore',
    signingName: 'ecs',
    protocols: [ProtocolName.AwsJson1_1],
    targetPrefix: LONGSHORE_TARGET_PREFIX,
    operations: new Map([
      [explain.name, explain],
      [interrupt.name, interrupt],
      [listeners.name, listeners],
    ]),
    modelOperations: [explain.name, interrupt.name, listeners.name],
  };
}
