/**
 * `GET /healthz` and `GET /readyz`: liveness and readiness for load balancers, orchestrators and
 * scripts, unsigned. S3 claims every request signed for `s3` before these routes are looked at,
 * so a bucket named `healthz` or `readyz` is still served to signed requests; these answer the
 * unsigned GETs.
 */
import type { ExtraRoute } from '../aws/gateway.ts';

/** What readiness is made of. */
export interface Readiness {
  /** The store in use: `sqlite` (embedded) or `postgres` (cluster mode). */
  store: 'sqlite' | 'postgres';
  /** Whether the store serves requests, and why not. */
  storeHealth(): { ok: boolean; reason?: string };
  /** Whether this replica holds the leader lease (runs the controllers). */
  isLeader(): boolean;
  /** True once the server has begun to shut down. */
  closing(): boolean;
}

/** The body of `GET /readyz`. */
export interface ReadyAnswer {
  ready: boolean;
  store: 'sqlite' | 'postgres';
  leader: boolean;
  /** Why not ready. */
  reason?: string;
}

/**
 * The store's health: PostgresStore's `health()` (its mirror confirmed current); a store without
 * one (SQLite: a local file) is ready once open.
 */
export function storeHealthOf(store: object): () => { ok: boolean; reason?: string } {
  const withHealth = store as { health?: () => { ok: boolean; reason?: string } };
  return typeof withHealth.health === 'function' ? () => withHealth.health!() : () => ({ ok: true });
}

export function healthRoutes(readiness: Readiness): ExtraRoute[] {
  const noCache = { 'cache-control': 'no-store' };
  return [
    {
      // Live while the process answers at all.
      method: 'GET',
      path: '/healthz',
      async handle(_req, res) {
        res.writeHead(200, { 'content-type': 'text/plain', ...noCache }).end('ok');
      },
    },
    {
      // Ready while the store serves requests and the server is not shutting down: 200, else 503.
      method: 'GET',
      path: '/readyz',
      async handle(_req, res) {
        const health = readiness.closing()
          ? { ok: false, reason: 'the server is shutting down' }
          : readiness.storeHealth();
        const answer: ReadyAnswer = {
          ready: health.ok,
          store: readiness.store,
          leader: readiness.isLeader(),
          ...(health.ok || !health.reason ? {} : { reason: health.reason }),
        };
        res
          .writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json', ...noCache })
          .end(JSON.stringify(answer));
      },
    },
  ];
}
