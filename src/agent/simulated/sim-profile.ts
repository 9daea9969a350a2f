/**
 * How a SIMULATED container behaves (no process runs): how long it takes to start, how long it
 * runs, its exit code, what its health check reports, and how long it takes to stop. An agent-wide
 * profile applies to every container; a container's `dockerLabels` may override it per task
 * definition, so one simulated cluster can mix, say, long-running services and failing jobs.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';

/** What a simulated health check reports: `none` never produces a result (health stays UNKNOWN). */
export const SimHealth = { Healthy: 'healthy', Unhealthy: 'unhealthy', None: 'none' } as const;
export type SimHealth = (typeof SimHealth)[keyof typeof SimHealth];

export interface SimulationProfile {
  /** From assignment to RUNNING (pull, create and start, all pretended). */
  startMs: number;
  /** From RUNNING until the container exits by itself; `undefined` runs until stopped. */
  runMs: number | undefined;
  /** Exit code when the container exits by itself. */
  exitCode: number;
  /** Result of containers that define a `healthCheck`; others report no health, as on Docker. */
  health: SimHealth;
  /** From RUNNING to the first health check result. */
  healthDelayMs: number;
  /**
   * How long a container takes to exit after SIGTERM. A container whose `stopTimeout` (default
   * 30 s) is shorter is "killed" at the timeout: it exits 137 instead of 143.
   */
  stopDelayMs: number;
}

export const DEFAULT_SIM_PROFILE: SimulationProfile = {
  startMs: 200,
  runMs: undefined,
  exitCode: 0,
  health: SimHealth.Healthy,
  healthDelayMs: 0,
  stopDelayMs: 100,
};

/** Exit codes of a process ended by SIGTERM (128 + 15) and by SIGKILL (128 + 9). */
export const SIGTERM_EXIT_CODE = 143;
export const SIGKILL_EXIT_CODE = 137;
/** ECS_CONTAINER_STOP_TIMEOUT's default, used when a container sets no `stopTimeout`. */
export const DEFAULT_STOP_TIMEOUT_S = 30;

/** Docker labels that override the profile for one container, e.g. `longshore.simulation.run-ms: "5000"`. */
export const SIM_LABEL_PREFIX = 'longshore.simulation.';

/** The profile for container `def`: the agent's, overridden by the container's simulation labels. */
export function containerProfile(base: SimulationProfile, def: ContainerDefinition): SimulationProfile {
  const labels = def.dockerLabels;
  if (!labels) return base;
  const out = { ...base };
  const ms = (name: string): number | undefined => {
    const v = labels[SIM_LABEL_PREFIX + name];
    const n = Number(v);
    return v !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  out.startMs = ms('start-ms') ?? out.startMs;
  out.healthDelayMs = ms('health-delay-ms') ?? out.healthDelayMs;
  out.stopDelayMs = ms('stop-delay-ms') ?? out.stopDelayMs;
  const run = labels[`${SIM_LABEL_PREFIX}run-ms`];
  if (run === 'forever') out.runMs = undefined;
  else out.runMs = ms('run-ms') ?? out.runMs;
  const exit = labels[`${SIM_LABEL_PREFIX}exit-code`];
  if (exit !== undefined && /^\d+$/.test(exit)) out.exitCode = Number(exit);
  const health = labels[`${SIM_LABEL_PREFIX}health`];
  if (health === 'healthy' || health === 'unhealthy' || health === 'none') out.health = health;
  return out;
}

/** `healthy|unhealthy|none`, for CLI flags. */
export function parseSimHealth(text: string): SimHealth {
  if (text === 'healthy' || text === 'unhealthy' || text === 'none') return text;
  throw new Error(`--sim-health must be healthy, unhealthy or none, got '${text}'`);
}
