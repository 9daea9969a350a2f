/**
 * Cluster mode: agents send usage samples to whichever replica holds their session, but AWS/ECS
 * metrics are published by the leader (its EcsMetricsPublisher keeps the samples in memory). A
 * follower relays its agents' samples to the leader once a second (`UsageRelay`), signed with the
 * installation's root key; the leader's `usageRelayRoute` hands them to its publisher. Samples
 * are not records: a batch the leader cannot take (it is changing) is dropped, as a sample sent
 * while an agent is disconnected is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskUsage } from '../core/agent-protocol.ts';
import type { Clock } from '../core/clock.ts';
import { describeError, ServiceError } from '../core/errors.ts';
import { type SigningCredentials, signRequest } from '../core/sign-request.ts';
import type { SecretLookup } from '../aws/sigv4.ts';
import { verifySigV4 } from '../aws/sigv4.ts';
import type { ReplicaPresence } from './replica-presence.ts';

export const USAGE_RELAY_PATH = '/longshore/v1/agent-usage';
const FLUSH_MS = 1_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface RelayedSample {
  region: string;
  at: number;
  tasks: readonly TaskUsage[];
}

export interface UsageRelayOptions {
  presence: ReplicaPresence;
  /** The installation's root key (the leader's route accepts only it). */
  credentials: SigningCredentials;
  region: string;
  clock: Clock;
  log: { warn(obj: object, msg: string): void };
}

export class UsageRelay {
  readonly #o: UsageRelayOptions;
  #batch: RelayedSample[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: UsageRelayOptions) {
    this.#o = options;
  }

  /** Queues one agent's sample; the batch goes to the leader within a second. */
  add(sample: RelayedSample): void {
    this.#batch.push(sample);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flush().catch((error: unknown) =>
        this.#o.log.warn({ error: describeError(error) }, 'relaying usage samples to the leader failed'),
      );
    }, FLUSH_MS);
    this.#timer.unref();
  }

  async #flush(): Promise<void> {
    const samples = this.#batch.splice(0);
    if (samples.length === 0) return;
    const leader = (await this.#o.presence.live()).find((r) => r.leader && r.id !== this.#o.presence.id);
    if (!leader) return;
    const url = new URL(USAGE_RELAY_PATH, leader.endpoint);
    const body = JSON.stringify({ samples });
    const headers = await signRequest(this.#o.credentials, this.#o.region, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      now: this.#o.clock.now(),
    });
    const { host: _host, ...sent } = headers;
    const answer = await fetch(url, {
      method: 'POST',
      headers: sent,
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!answer.ok) throw new Error(`the leader answered ${answer.status}`);
  }

  close(): void {
    clearTimeout(this.#timer);
  }
}

/** The leader's side: POST USAGE_RELAY_PATH, signed with the root key, answered 204. */
export function usageRelayRoute(o: {
  secrets: SecretLookup;
  clock: Clock;
  accept(sample: RelayedSample): void;
}) {
  return {
    method: 'POST',
    path: USAGE_RELAY_PATH,
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const answer = (status: number, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message }));
      };
      let body: string;
      try {
        body = await readBody(req);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string') headers[k.toLowerCase()] = v;
        await verifySigV4(
          { method: 'POST', path: USAGE_RELAY_PATH, query: new URLSearchParams(), headers, body },
          o.secrets,
          { service: 'ecs', now: o.clock.now() },
        );
      } catch (error) {
        return answer(403, error instanceof Error ? error.message : String(error));
      }
      let samples: unknown;
      try {
        samples = (JSON.parse(body) as { samples?: unknown }).samples;
      } catch {
        return answer(400, 'the body is not JSON');
      }
      if (!Array.isArray(samples)) return answer(400, 'samples must be a list');
      for (const s of samples as RelayedSample[]) {
        if (typeof s?.region !== 'string' || typeof s.at !== 'number' || !Array.isArray(s.tasks)) continue;
        o.accept(s);
      }
      res.writeHead(204).end();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError('InvalidParameterException', 'usage batch too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
