/** Shared by the CloudWatch Logs API tests: a control plane without controllers and a Logs client on it. */
import { join } from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../src/core/clock.ts';
import type { LogsContext } from '../../src/logs/model/records.ts';
import { PostgresEventStore } from '../../src/logs/model/postgres-event-store.ts';
import { SqliteEventStore } from '../../src/logs/model/sqlite-event-store.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

export function logsClient(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

export async function startLogsPlane(): Promise<{ t: TestPlane; logs: CloudWatchLogsClient }> {
  const t = await startTestPlane({ controllers: false });
  return { t, logs: logsClient(t.plane.endpoint) };
}

/**
 * A Logs context on the plane's home-region store and its event store (a second SQLite connection
 * to the same WAL database, or a second PostgreSQL event store on a cluster-mode plane's database),
 * with `clock`: for writing through the model at another time. Close `events` when done.
 */
export function modelContext(t: TestPlane, clock: Clock): LogsContext {
  const ctx = t.plane.regions.context('us-east-1');
  return {
    store: ctx.store,
    clock,
    partition: ctx.partition,
    events: t.storeUrl
      ? new PostgresEventStore(t.storeUrl)
      : new SqliteEventStore(join(t.dataDir, 'logs', 'events.db')),
  };
}
