/** One call on a pooled connection, shared by the record store and the CloudWatch Logs event store. */
import type pg from 'pg';

/**
 * Runs `fn` on a connection of `pool` and gives it back; a connection on which `fn` failed is
 * destroyed rather than reused in an unknown state (an open transaction, a dead socket).
 */
export async function withPooledClient<R>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<R>,
): Promise<R> {
  const client = await pool.connect();
  // A checked-out connection that dies between queries emits 'error'; with no listener that
  // would crash the process (the pool only listens to idle ones). The next query fails anyway.
  let lost: unknown;
  const onError = (error: unknown) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    const result = await fn(client);
    client.off('error', onError);
    client.release(lost instanceof Error ? lost : undefined);
    return result;
  } catch (error) {
    client.off('error', onError);
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
