/**
 * Agent-owned dynamic host ports (as the real agent since it stopped deferring to Docker): bridge
 * portMappings with hostPort 0 or omitted get a free port from a configured range.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Rng } from '../../core/clock.ts';

export interface PortRange {
  from: number;
  to: number;
}

/** ECS's default range, the Linux ephemeral range /proc/sys/net/ipv4/ip_local_port_range on most hosts. */
export const DEFAULT_PORT_RANGE: PortRange = { from: 32768, to: 60999 } as const;

/** Whether `port` can be bound right now on all addresses (Docker's proxy holds ports it published). */
export type PortProbe = (port: number, protocol: 'tcp' | 'udp') => Promise<boolean>;

export const probePort: PortProbe = (port, protocol) =>
  new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '0.0.0.0', () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });

export class PortExhaustedError extends Error {}

export class HostPortAllocator {
  readonly #range: PortRange;
  readonly #probe: PortProbe;
  /** `${protocol}/${port}` -> owning task ARN. */
  readonly #owned = new Map<string, string>();
  #next: number;

  constructor(range: PortRange, rng: Rng, probe: PortProbe = probePort) {
    this.#range = range;
    this.#probe = probe;
    // Start at a random point so agents sharing a host rarely race for the same ports.
    this.#next = range.from + Math.floor(rng.next() * (range.to - range.from + 1));
  }

  /** Re-reserves ports a restored task holds. */
  reserve(taskArn: string, ports: { hostPort: number; protocol: 'tcp' | 'udp' }[]): void {
    for (const p of ports) this.#owned.set(`${p.protocol}/${p.hostPort}`, taskArn);
  }

  /** One free port per request, round-robin through the range, skipping ports held by anyone. */
  async allocate(taskArn: string, protocols: ('tcp' | 'udp')[]): Promise<number[]> {
    const size = this.#range.to - this.#range.from + 1;
    const out: number[] = [];
    for (const protocol of protocols) {
      let found: number | undefined;
      for (let tried = 0; tried < size && found === undefined; tried++) {
        const port = this.#next;
        this.#next = port >= this.#range.to ? this.#range.from : port + 1;
        const key = `${protocol}/${port}`;
        if (this.#owned.has(key)) continue;
        this.#owned.set(key, taskArn); // claim before the await so a concurrent allocation skips it
        if (await this.#probe(port, protocol)) found = port;
        else this.#owned.delete(key);
      }
      if (found === undefined) {
        this.release(taskArn);
        throw new PortExhaustedError(
          `no free ${protocol} host port in ${this.#range.from}-${this.#range.to}`,
        );
      }
      out.push(found);
    }
    return out;
  }

  release(taskArn: string): void {
    for (const [key, owner] of this.#owned) if (owner === taskArn) this.#owned.delete(key);
  }
}
