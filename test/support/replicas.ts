/**
 * What a test file of cluster-mode replicas needs: the shared throwaway PostgreSQL server, and
 * the planes and other things to stop after the file's tests (in reverse order), or a skipped
 * test naming why PostgreSQL is not there.
 */
import { after, it } from 'node:test';
import { startTestPlane, type TestPlane } from './control-plane.ts';
import { type PostgresServer, sharedPostgres } from './postgres.ts';

export interface ReplicaHarness {
  server: PostgresServer;
  planes: TestPlane[];
  cleanups: (() => Promise<void>)[];
  /** Two replicas on a new database (`a` starts first, so it leads), stopped after the file. */
  twoReplicas(options?: { sharedDir?: string }): Promise<{ url: string; a: TestPlane; b: TestPlane }>;
}

export async function replicaHarness(name: string): Promise<ReplicaHarness | undefined> {
  const availability = await sharedPostgres();
  if ('skip' in availability) {
    it(name, { skip: availability.skip }, () => {});
    return undefined;
  }
  const server = availability.server;
  const planes: TestPlane[] = [];
  const harness: ReplicaHarness = {
    server,
    planes,
    cleanups: [],
    async twoReplicas(options = {}) {
      const url = await server.createDatabase();
      const a = await startTestPlane({ storeUrl: url, ...options });
      planes.push(a);
      const b = await startTestPlane({ storeUrl: url, ...options });
      planes.push(b);
      return { url, a, b };
    },
  };
  after(async () => {
    for (const cleanup of harness.cleanups.reverse()) await cleanup().catch(() => {});
    for (const plane of harness.planes) await plane.stop().catch(() => {});
    await harness.server.close();
  });
  return harness;
}
