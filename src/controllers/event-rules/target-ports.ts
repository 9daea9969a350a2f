/**
 * What the EventBridge delivery worker needs from outside the controllers (which never import a
 * service's handlers): ECS RunTask and the CloudWatch Logs context of a region. cli/control-plane.ts
 * wires them to `runTask(regions.context(region), input)` and the logs event store.
 */
import type { RunTaskRequest, RunTaskResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { SecretSealer } from '../../events/model/records.ts';
import type { LogsContext } from '../../logs/model/records.ts';

export interface EventTargetPorts {
  runTask(region: string, input: Wire<RunTaskRequest>): Promise<Wire<RunTaskResponse>>;
  logs(region: string): LogsContext;
  /** Opens connections' sealed secrets for API destination invocations. */
  sealer(): SecretSealer;
}

/** What one invocation came to. */
export type InvokeOutcome =
  | { type: 'ok' }
  /** Failed; `retriable` says whether the retry policy applies (else it fails for good at once). */
  | { type: 'failed'; retriable: boolean; reason: string }
  /** Not tried: the API destination's rate limit; try again after `afterMs` (no attempt counted). */
  | { type: 'throttled'; afterMs: number };

export const ok: InvokeOutcome = { type: 'ok' };

export function failed(reason: string, retriable: boolean): InvokeOutcome {
  return { type: 'failed', retriable, reason };
}
