/**
 * The data plane as a child process of the control plane: started with `process.execPath` and an
 * IPC channel, it takes `DataplaneCommand`s from `process.on('message')` and sends
 * `DataplaneReport`s with `process.send`. It ends when told to (`shutdown`), on SIGTERM/SIGINT, and
 * when its parent goes (the IPC channel disconnects, even when the parent was SIGKILLed).
 *
 * Options come as environment variables: LONGSHORE_LB_BIND (default 127.0.0.1),
 * LONGSHORE_LB_METRICS_MS (default 60000) and LONGSHORE_LB_WORKERS, the extra proxy processes for
 * HTTP listeners (default: one fewer than the CPUs, at most 3; 0 serves everything in this one).
 */
import { availableParallelism } from 'node:os';
import type { DataplaneCommand, DataplaneReport } from './config.ts';
import { startDataplane } from './dataplane.ts';

if (!process.send || !process.connected) {
  process.stderr.write(
    'the load-balancer data plane runs as a child process with an IPC channel (fork it)\n',
  );
  process.exit(2);
}

const dataplane = startDataplane({
  bindAddress: process.env.LONGSHORE_LB_BIND || '127.0.0.1',
  metricsIntervalMs: Number(process.env.LONGSHORE_LB_METRICS_MS) || 60_000,
  workers:
    process.env.LONGSHORE_LB_WORKERS !== undefined
      ? Number(process.env.LONGSHORE_LB_WORKERS)
      : Math.min(3, availableParallelism() - 1),
});

const send = (report: DataplaneReport) => {
  if (process.connected) process.send?.(report);
};
dataplane.on('report', send);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await dataplane.close();
  process.exit(code);
}

process.on('message', (message: DataplaneCommand) => {
  if (message?.type === 'config') void dataplane.apply(message.config);
  else if (message?.type === 'shutdown') void stop(0);
});
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// The parent is gone (even SIGKILLed): the IPC channel disconnects, and the data plane ends with it,
// as src/cli/parent-watch.ts does for the CLI's children (not imported: elbv2 does not depend on cli).
process.once('disconnect', () => void stop(0));
