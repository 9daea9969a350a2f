/** The host's IPv4 routes (main table), to refuse a VPC range the host already routes elsewhere. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** `ip route` answers in milliseconds. */
const IP_TIMEOUT_MS = 5_000;

export interface HostRoute {
  /** `10.0.0.0/8`, or a bare address for a host route. */
  dst: string;
  dev?: string;
}

/** Every route but the default one (which overlaps everything and says nothing). */
export async function hostRoutes(ip = 'ip'): Promise<HostRoute[]> {
  const { stdout } = await run(ip, ['-j', '-4', 'route', 'show', 'table', 'main'], {
    timeout: IP_TIMEOUT_MS,
  });
  const routes = JSON.parse(stdout || '[]') as { dst?: string; dev?: string }[];
  return routes.flatMap((r) => (r.dst && r.dst !== 'default' ? [{ dst: r.dst, dev: r.dev }] : []));
}
