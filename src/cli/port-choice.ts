/** The API port for `up`/`server`: the default one, or a free one when the default is taken. */
import { createServer } from 'node:net';

export interface PortChoice {
  port: number;
  /** Set when `wanted` was taken and the caller should bind a free port (0) instead. */
  taken?: number;
}

/**
 * A port the user gave (--port, LONGSHORE_PORT) is used as is: if it is taken, the listener fails
 * and says so. The default is tried first (a second `longshore up` on the host finds it taken) and
 * replaced by 0, which the listener turns into a free port. The probe closes before the real bind,
 * so another process could take the port in between; the real bind then fails with EADDRINUSE.
 */
export async function choosePort(host: string, wanted: number, explicit: boolean): Promise<PortChoice> {
  if (explicit || wanted === 0) return { port: wanted };
  const probe = createServer();
  const free = await new Promise<boolean>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    probe.listen({ port: wanted, host, exclusive: true }, () => resolve(true));
  });
  if (!free) return { port: 0, taken: wanted };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { port: wanted };
}
