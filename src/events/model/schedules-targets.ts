/**
 * What a schedule's target ARN names. Templated targets are the service's own resource ARN (an
 * ECS cluster, an event bus, an SQS queue, a Lambda function ...); universal targets are
 * `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` with the API's request as Input.
 */

export type ScheduleTarget =
  /** ECS RunTask on the cluster, with the target's EcsParameters. */
  | { type: 'ecs'; region: string; accountId: string; cluster: string }
  /** EventBridge PutEvents onto the bus, with EventBridgeParameters and Input as the detail. */
  | { type: 'event-bus'; region: string; accountId: string; bus: string }
  /** A universal target: the API action called with Input as its request. */
  | { type: 'universal'; service: string; action: string }
  /** Any other templated target (SQS, Lambda, SNS, Step Functions, Kinesis ...): accepted, not served here. */
  | { type: 'other'; service: string };

const UNIVERSAL = /^arn:aws(-[a-z]+)?:scheduler:::aws-sdk:([a-z0-9-]+):([a-zA-Z0-9]+)$/;
const ARN = /^arn:aws(-[a-z]+)?:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/;

/** Classifies a target ARN; undefined when it is not an ARN at all. */
export function classifyTarget(arn: string): ScheduleTarget | undefined {
  const universal = UNIVERSAL.exec(arn);
  if (universal) return { type: 'universal', service: universal[2]!, action: universal[3]! };
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, , service, region, accountId, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (service === 'ecs' && resource.startsWith('cluster/') && region && accountId) {
    return { type: 'ecs', region, accountId, cluster: resource.slice('cluster/'.length) };
  }
  if (service === 'events' && resource.startsWith('event-bus/') && region && accountId) {
    return { type: 'event-bus', region, accountId, bus: resource.slice('event-bus/'.length) };
  }
  return { type: 'other', service };
}

/** The universal targets Longshore serves (the others are accepted, and fail when they fire). */
export const SERVED_UNIVERSAL = new Set(['ecs:runTask', 'eventbridge:putEvents']);

/** ECS's `startedBy` for tasks a schedule runs, as Scheduler sets it. */
export const startedByFor = (scheduleName: string) => `chronos-schedule/${scheduleName}`.slice(0, 128);
