/**
 * The CloudWatch Logs target (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`): the event
 * (or the target's input) is written as one log event, in a log stream named after the event's
 * `id`, as EventBridge does; the log event's timestamp is the event's `time`. When the input is a
 * JSON object `{"timestamp": <ms>, "message": <text>}` (EventBridge's template form for log
 * targets), those two are used. A missing log group fails the delivery for good.
 */
import { ServiceError } from '../../core/errors.ts';
import type { DeliveryRecord } from '../../events/model/deliveries.ts';
import { createLogStream } from '../../logs/model/streams.ts';
import { putLogEvents } from '../../logs/model/put-events.ts';
import { type EventTargetPorts, failed, type InvokeOutcome, ok } from './target-ports.ts';

export function logGroupOfArn(arn: string): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(arn);
  return m?.[1];
}

export async function invokeLogs(
  ports: EventTargetPorts,
  region: string,
  delivery: DeliveryRecord,
  input: string,
): Promise<InvokeOutcome> {
  const group = logGroupOfArn(delivery.target.Arn ?? '');
  if (!group) return failed(`not a log group ARN: ${delivery.target.Arn}`, false);
  const ctx = ports.logs(region);
  const stream = delivery.event.id;
  let timestamp = Date.parse(delivery.event.time);
  let message = input;
  try {
    const parsed = JSON.parse(input) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.keys(parsed).length === 2 &&
      'timestamp' in parsed &&
      'message' in parsed
    ) {
      const t = (parsed as { timestamp: unknown }).timestamp;
      const m = (parsed as { message: unknown }).message;
      const when = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : Number.NaN;
      if (Number.isFinite(when)) timestamp = when;
      message = typeof m === 'string' ? m : JSON.stringify(m);
    }
  } catch {
    // Not JSON: the text is the message.
  }
  try {
    try {
      await createLogStream(ctx, group, stream);
    } catch (error) {
      // A retried delivery finds its stream made by the attempt before.
      if (!(error instanceof ServiceError && error.code === 'ResourceAlreadyExistsException')) throw error;
    }
    await putLogEvents(ctx, {
      logGroupName: group,
      logStreamName: stream,
      logEvents: [{ timestamp, message }],
    });
    return ok;
  } catch (error) {
    if (error instanceof ServiceError)
      return failed(`CloudWatch Logs: ${error.code}: ${error.message}`, error.fault === 'server');
    throw error;
  }
}
