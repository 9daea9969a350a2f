/**
 * How fast dynamic scaling reacts. The defaults are AWS's: one-minute alarm periods and the
 * cooldowns each policy names (300 s when it names none). For local use and tests the period and a
 * ceiling on every cooldown can be shortened, through the control plane's `autoScaling` option or
 * the environment:
 *
 *   LONGSHORE_AUTOSCALING_PERIOD_SECONDS=10       target tracking alarms evaluate 10 s periods
 *   LONGSHORE_AUTOSCALING_MAX_COOLDOWN_SECONDS=5  no cooldown lasts longer than 5 s
 *
 * Policies still report the cooldowns they were given; only their effect is shortened.
 */

export interface ScalingTiming {
  /** The period of the alarms target tracking creates, in seconds (AWS: 60). */
  periodSeconds: number;
  /** A ceiling on every cooldown, in seconds; undefined: as configured. */
  maxCooldownSeconds?: number;
}

export const AWS_PERIOD_SECONDS = 60;
/** Application Auto Scaling's cooldown when a policy names none. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

export const AWS_TIMING: ScalingTiming = { periodSeconds: AWS_PERIOD_SECONDS };

export const TIMING_ENV = {
  period: 'LONGSHORE_AUTOSCALING_PERIOD_SECONDS',
  maxCooldown: 'LONGSHORE_AUTOSCALING_MAX_COOLDOWN_SECONDS',
} as const;

/** The timing the environment asks for (AWS's where it says nothing or something unusable). */
export function scalingTimingFrom(
  env: Readonly<Record<string, string | undefined>>,
  override: Partial<ScalingTiming> = {},
): ScalingTiming {
  const positive = (v: string | undefined) => {
    const n = v === undefined ? Number.NaN : Number(v);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const period = override.periodSeconds ?? positive(env[TIMING_ENV.period]) ?? AWS_PERIOD_SECONDS;
  const cap = override.maxCooldownSeconds ?? positive(env[TIMING_ENV.maxCooldown]);
  return {
    periodSeconds: Math.max(1, Math.round(period)),
    ...(cap !== undefined ? { maxCooldownSeconds: cap } : {}),
  };
}

/** A cooldown as it takes effect, in ms: the policy's (or 300 s), under the timing's ceiling. */
export function cooldownMs(timing: ScalingTiming, seconds: number | undefined): number {
  const s = seconds ?? DEFAULT_COOLDOWN_SECONDS;
  return Math.min(s, timing.maxCooldownSeconds ?? s) * 1000;
}
