/**
 * How fast the metrics that drive alarms and auto scaling move. AWS's pace is the default: agents
 * sample task usage every 20 s and the AWS/ECS (and Container Insights) metrics get one datapoint a
 * minute. For local work and tests it can be shortened, by the environment or the control plane's
 * options:
 *
 *   LONGSHORE_ECS_METRICS_INTERVAL_SECONDS=5   agents sample every 5 s; a high-resolution datapoint
 *                                              every 5 s (so 10-second alarm periods see them)
 *   LONGSHORE_FAST_METRICS=1                   all the local knobs at once (`longshore up --fast-metrics`):
 *                                              the line above, target tracking alarms of 10 s periods,
 *                                              cooldowns of at most 10 s and alarms evaluated every
 *                                              second; a variable set on its own wins over it
 *
 * Pure: the caller hands in the environment.
 */

type Env = Readonly<Record<string, string | undefined>>;

export const METRICS_ENV = {
  fast: 'LONGSHORE_FAST_METRICS',
  interval: 'LONGSHORE_ECS_METRICS_INTERVAL_SECONDS',
} as const;

/** What LONGSHORE_FAST_METRICS (or `--fast-metrics`) sets, each unless the environment already does. */
export const FAST_METRICS_ENV: Readonly<Record<string, string>> = {
  [METRICS_ENV.interval]: '5',
  LONGSHORE_AUTOSCALING_PERIOD_SECONDS: '10',
  LONGSHORE_AUTOSCALING_MAX_COOLDOWN_SECONDS: '10',
  LONGSHORE_ALARM_EVALUATION_MS: '1000',
};

/** True for LONGSHORE_FAST_METRICS=1 (or true, on, yes). */
export function fastMetricsAsked(env: Env): boolean {
  return /^(1|true|on|yes)$/i.test(env[METRICS_ENV.fast] ?? '');
}

/**
 * The environment the control plane reads its pace from: `env` itself, or with `fast` (the option,
 * or LONGSHORE_FAST_METRICS in `env`) the fast values filled in where `env` names none.
 */
export function paceEnv(env: Env, fast?: boolean): Env {
  if (!(fast ?? fastMetricsAsked(env))) return env;
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(FAST_METRICS_ENV)) if (!out[name]) out[name] = value;
  return out;
}

export interface MetricsPace {
  /** One datapoint per this many ms (AWS: 60,000). */
  publishMs: number;
  /** How often agents sample task usage (AWS's agent: 20,000). */
  sampleMs: number;
}

export const AWS_METRICS_PACE: MetricsPace = { publishMs: 60_000, sampleMs: 20_000 };

/** Intervals that cut a minute into equal parts (a datapoint never straddles two minutes). */
const DIVIDES_MINUTE = new Set([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60]);

/**
 * The pace `env` asks for (`intervalSeconds` overrides it): AWS's when it says nothing or something
 * unusable (an interval that does not divide the minute). Agents sample at the interval, at most
 * every 20 s as ECS's agent does.
 */
export function metricsPaceFrom(env: Env, intervalSeconds?: number): MetricsPace {
  const raw = intervalSeconds ?? Number(env[METRICS_ENV.interval] ?? Number.NaN);
  if (!DIVIDES_MINUTE.has(raw)) return AWS_METRICS_PACE;
  const publishMs = raw * 1000;
  return { publishMs, sampleMs: Math.min(publishMs, AWS_METRICS_PACE.sampleMs) };
}

/** Datapoints finer than a minute are written as high-resolution data (StorageResolution 1). */
export const highResolution = (pace: MetricsPace) => pace.publishMs < 60_000;
