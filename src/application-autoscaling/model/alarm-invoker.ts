/**
 * The alarm action invoker for scaling policies (ARNs starting `arn:aws:autoscaling:`): CloudWatch
 * calls it while a policy's alarm is in ALARM; it reads the alarm's breaching datapoints from its
 * state (StateReasonData's `recentDatapoints` and `threshold`, or the numbers of the reason text)
 * and runs the policy (`execute-policy.ts`). Other states invoke nothing, as with AWS.
 */
import type { AlarmActionInvoker } from '../../cloudwatch/model/alarm-actions.ts';
import type { AlarmRecord } from '../../cloudwatch/model/alarm-records.ts';
import { getAlarm } from '../../cloudwatch/model/alarms.ts';
import { type AlarmTrigger, executeScalingPolicy, type PeerAlarms } from './execute-policy.ts';
import type { AutoScalingContext } from './records.ts';

/** Invokers are registered for this ARN prefix. */
export const SCALING_POLICY_ARN_PREFIX = 'arn:aws:autoscaling:';

/** The region a policy ARN names. */
export const regionOfPolicyArn = (arn: string) => arn.split(':')[3] ?? '';

/** The trigger an alarm's current state describes (undefined when it holds no datapoint). */
export function triggerOf(alarm: AlarmRecord): AlarmTrigger | undefined {
  const threshold = alarm.type === 'MetricAlarm' ? alarm.threshold : undefined;
  let datapoints: number[] = [];
  let reasonThreshold: number | undefined;
  if (alarm.state.reasonData) {
    try {
      const data = JSON.parse(alarm.state.reasonData) as { recentDatapoints?: unknown; threshold?: unknown };
      if (Array.isArray(data.recentDatapoints))
        datapoints = data.recentDatapoints.filter((v) => typeof v === 'number');
      if (typeof data.threshold === 'number') reasonThreshold = data.threshold;
    } catch {
      datapoints = [];
    }
  }
  if (datapoints.length === 0) {
    // "Threshold Crossed: 3 datapoints [82.5 (29/11/26 10:01:00), 80.0 (...)] were greater than ..."
    const list = /\[([^\]]*)\]/.exec(alarm.state.reason)?.[1] ?? '';
    datapoints = [...list.matchAll(/(-?\d+(?:\.\d+)?(?:E[-+]?\d+)?) \(/gi)]
      .map((m) => Number(m[1]))
      .reverse();
  }
  const t = reasonThreshold ?? threshold;
  if (datapoints.length === 0 || t === undefined) return undefined;
  return { alarmName: alarm.name, threshold: t, datapoints };
}

/** Another alarm's trigger when it is in ALARM (the "scale in only if all do" rule). */
export const peerAlarms: PeerAlarms = async (tx, name) => {
  const alarm = await getAlarm(tx, name);
  return alarm && alarm.state.value === 'ALARM' ? triggerOf(alarm) : undefined;
};

export function scalingPolicyInvoker(contextFor: (region: string) => AutoScalingContext): AlarmActionInvoker {
  return async (action) => {
    if (action.newState !== 'ALARM') return;
    const ctx = contextFor(regionOfPolicyArn(action.arn));
    const alarm = await getAlarm(ctx.store, action.alarmName);
    const trigger = alarm ? triggerOf(alarm) : undefined;
    if (!trigger) return;
    await executeScalingPolicy(ctx, action.arn, trigger, peerAlarms);
  };
}
