/**
 * A proxy worker process (see `workers.ts`): serves the HTTP listeners it is given on the primary's
 * ports, with the primary's health, and ends with the primary.
 */
import { startDataplane } from './dataplane.ts';
import type { FromWorker, ToWorker } from './workers.ts';

if (!process.send || !process.connected) process.exit(2);

const dataplane = startDataplane({
  bindAddress: process.env.LONGSHORE_LB_BIND || '127.0.0.1',
  role: 'worker',
  metricsIntervalMs: 1000,
});
const send = (m: FromWorker) => {
  if (process.connected) process.send?.(m);
};
dataplane.on('report', (r) => {
  if (r.type === 'drained' || r.type === 'metrics' || r.type === 'listen-failed') send(r);
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await dataplane.close();
  process.exit(0);
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'config') {
    // The snapshot is newer than any update before it; it is kept and applied to the targets the config makes.
    dataplane.setHealth(m.health);
    void dataplane.apply(m.config);
  } else if (m.type === 'health') dataplane.setHealth(m.updates);
  else if (m.type === 'shutdown') void stop();
});
process.on('SIGTERM', () => void stop());
process.once('disconnect', () => void stop());
