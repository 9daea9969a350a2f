/**
 * Alarm actions: what a state change invokes. Invokers are registered by ARN prefix (Application
 * Auto Scaling registers `arn:aws:autoscaling:`); an action whose ARN no invoker claims fails, and
 * the failure is recorded as an Action history item as CloudWatch records a failed action.
 */

export type AlarmActionInvoker = (action: {
  arn: string;
  alarmName: string;
  alarmArn: string;
  newState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  at: number;
}) => Promise<void>;

export type AlarmAction = Parameters<AlarmActionInvoker>[0];

/**
 * ARN prefix -> invoker. The longest registered prefix of an action's ARN wins, so a specific
 * invoker (`arn:aws:autoscaling:us-east-1:`) can stand in front of a general one.
 */
export class AlarmActionRegistry {
  readonly #invokers = new Map<string, AlarmActionInvoker>();

  /** Registers `invoker` for ARNs starting with `prefix`; returns the function that removes it. */
  register(prefix: string, invoker: AlarmActionInvoker): () => void {
    this.#invokers.set(prefix, invoker);
    return () => {
      if (this.#invokers.get(prefix) === invoker) this.#invokers.delete(prefix);
    };
  }

  find(arn: string): AlarmActionInvoker | undefined {
    let best: string | undefined;
    for (const prefix of this.#invokers.keys())
      if (arn.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    return best === undefined ? undefined : this.#invokers.get(best);
  }
}

/**
 * Actions re-invoked on every evaluation while the alarm stays in ALARM, as CloudWatch does for
 * Auto Scaling policies (a policy keeps scaling while its alarm holds): EC2 Auto Scaling and
 * Application Auto Scaling policy ARNs. Other actions run once per state change.
 */
export const isRepeatingAction = (arn: string) => /^arn:aws[a-z-]*:autoscaling:/.test(arn);
