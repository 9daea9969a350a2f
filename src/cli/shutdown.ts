/**
 * SIGINT/SIGTERM handling for long-running commands: the first signal starts a clean stop, and the
 * process exits within SHUTDOWN_GRACE_MS whatever the stop is waiting for (a reconcile, a Docker
 * call, a socket); a second signal (after DUPLICATE_SIGNAL_MS) exits at once.
 */

/** A clean stop normally takes milliseconds; past this, the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 4_000;

/**
 * A second signal this soon after the first is the same request delivered twice (a supervisor
 * signalling both the wrapper, which forwards it, and the child; `pkill -f`), not an impatient
 * user: it must not cut the clean stop short (which would leave the agent's iptables rules).
 */
export const DUPLICATE_SIGNAL_MS = 1_000;

export interface ShutdownLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Installs the handlers; `stop` releases everything (agent, servers, store). */
export function exitOnSignals(
  stop: () => Promise<void>,
  log: ShutdownLog,
  graceMs = SHUTDOWN_GRACE_MS,
): void {
  let closingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closingSince !== undefined) {
      if (performance.now() - closingSince < DUPLICATE_SIGNAL_MS) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closingSince = performance.now();
    log.info(`${signal}: shutting down`);
    const force = setTimeout(() => {
      log.warn({ graceMs }, 'shutdown did not finish in time: exiting anyway');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.warn({ error: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
