/**
 * The PostgreSQL store's schema: the shared `records` table (`../migrations.ts`) plus the change
 * feed (a head row, one row per committed revision, one per key it wrote), the leader leases, and
 * the commit function. Migrations run once across replicas, under an advisory lock.
 */
import type pg from 'pg';
import { migrations as sharedMigrations } from '../migrations.ts';

/** `pg_advisory_lock` key held while migrating ("lngshore" in ASCII, as a 64-bit number). */
export const MIGRATION_LOCK_KEY = '7813007263624737637';

/** The NOTIFY channel: the payload is the revision just committed (a nudge; the tables are the truth). */
export const CHANGES_CHANNEL = 'longshore_changes';

/**
 * PostgreSQL-only migrations, numbered apart from the shared ones (`pg_schema_version`) so that
 * appending to `../migrations.ts` never renumbers these.
 */
const postgresMigrations: readonly string[] = [
  `CREATE TABLE longshore_head (id INTEGER PRIMARY KEY CHECK (id = 1), revision BIGINT NOT NULL);
   INSERT INTO longshore_head VALUES (1, 0);
   CREATE TABLE longshore_revisions (
     revision BIGINT PRIMARY KEY,
     commit_id UUID NOT NULL UNIQUE,
     cleared BOOLEAN NOT NULL DEFAULT FALSE,
     committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   CREATE TABLE longshore_changes (
     revision BIGINT NOT NULL,
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     version INTEGER,
     PRIMARY KEY (revision, kind, key)
   );
   CREATE INDEX longshore_changes_key ON longshore_changes (kind, key, revision);
   CREATE TABLE longshore_leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     token BIGINT NOT NULL,
     expires_at TIMESTAMPTZ NOT NULL
   );`,
  // One statement per commit (one round trip): lock the head row (this orders every commit of
  // every replica), answer a retried commit by its id, check the fence, validate what the
  // transaction read against the revisions committed since it started (optimistic concurrency:
  // any key it read, or any key under a prefix it listed, written since -> conflict), then write.
  // Run at READ COMMITTED: each statement after the head lock sees every earlier commit.
  `CREATE FUNCTION longshore_commit(
     p_start BIGINT, p_commit UUID, p_reads JSONB, p_prefixes JSONB, p_writes JSONB,
     p_fence JSONB, p_clear BOOLEAN, p_keep BIGINT
   ) RETURNS JSONB LANGUAGE plpgsql AS $$
   DECLARE
     v_head BIGINT;
     v_done BIGINT;
     v_oldest BIGINT;
     v_rev BIGINT;
   BEGIN
     SELECT revision INTO v_head FROM longshore_head WHERE id = 1 FOR UPDATE;
     SELECT revision INTO v_done FROM longshore_revisions WHERE commit_id = p_commit;
     IF v_done IS NOT NULL THEN
       RETURN jsonb_build_object('status', 'duplicate', 'revision', v_done, 'head', v_head);
     END IF;
     IF p_fence IS NOT NULL THEN
       PERFORM 1 FROM longshore_leases
         WHERE name = p_fence->>'name' AND token = (p_fence->>'token')::BIGINT FOR SHARE;
       IF NOT FOUND THEN
         RETURN jsonb_build_object('status', 'fenced', 'head', v_head);
       END IF;
     END IF;
     IF v_head > p_start AND NOT p_clear THEN
       SELECT min(revision) INTO v_oldest FROM longshore_revisions;
       IF v_oldest IS NULL OR v_oldest > p_start + 1
          OR EXISTS (SELECT 1 FROM longshore_revisions WHERE revision > p_start AND cleared)
          OR EXISTS (SELECT 1 FROM longshore_changes c
                       JOIN jsonb_array_elements(p_reads) r ON c.kind = r->>0 AND c.key = r->>1
                      WHERE c.revision > p_start)
          OR EXISTS (SELECT 1 FROM longshore_changes c
                       JOIN jsonb_array_elements(p_prefixes) p
                         ON c.kind = p->>0 AND starts_with(c.key, p->>1)
                      WHERE c.revision > p_start) THEN
         RETURN jsonb_build_object('status', 'conflict', 'head', v_head);
       END IF;
     END IF;
     v_rev := v_head + 1;
     IF p_clear THEN
       DELETE FROM records;
     END IF;
     DELETE FROM records r USING jsonb_array_elements(p_writes) w
       WHERE jsonb_typeof(w->3) = 'null' AND r.kind = w->>0 AND r.key = w->>1;
     INSERT INTO records (kind, key, version, value)
       SELECT w->>0, w->>1, (w->>2)::INTEGER, w->>3 FROM jsonb_array_elements(p_writes) w
        WHERE jsonb_typeof(w->3) <> 'null'
       ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, value = excluded.value;
     INSERT INTO longshore_changes (revision, kind, key, version)
       SELECT v_rev, w->>0, w->>1, CASE WHEN jsonb_typeof(w->3) = 'null' THEN NULL ELSE (w->>2)::INTEGER END
         FROM jsonb_array_elements(p_writes) w;
     INSERT INTO longshore_revisions (revision, commit_id, cleared) VALUES (v_rev, p_commit, p_clear);
     UPDATE longshore_head SET revision = v_rev WHERE id = 1;
     -- Keep the last p_keep revisions; a replica further behind reloads everything (a gap).
     IF v_rev % 256 = 0 THEN
       DELETE FROM longshore_changes WHERE revision <= v_rev - p_keep;
       DELETE FROM longshore_revisions WHERE revision <= v_rev - p_keep;
     END IF;
     PERFORM pg_notify('${CHANGES_CHANNEL}', v_rev::TEXT);
     RETURN jsonb_build_object('status', 'committed', 'revision', v_rev, 'head', v_head);
   END $$`,
];

/** What `migrate` did: the migrations this call applied (0 when another replica had applied them). */
export interface MigrationReport {
  applied: number;
}

/**
 * Applies the shared and PostgreSQL migrations not applied yet, each in its own transaction,
 * holding a session advisory lock so that replicas starting together apply each exactly once
 * (the second waits, then finds nothing to do).
 */
/** The database was migrated by a newer build: this one must not run on it. */
export class SchemaTooNew extends Error {
  override name = 'SchemaTooNew';
}

export async function migrate(client: pg.ClientBase): Promise<MigrationReport> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    let applied = 0;
    applied += await applyTrack(client, 'schema_version', sharedMigrations);
    applied += await applyTrack(client, 'pg_schema_version', postgresMigrations);
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

async function applyTrack(client: pg.ClientBase, table: string, track: readonly string[]): Promise<number> {
  // `version` is the primary key: a second application of one migration could not be recorded.
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       version INTEGER PRIMARY KEY,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
       applied_by TEXT NOT NULL DEFAULT ''
     )`,
  );
  const { rows } = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${table}`);
  const done = rows[0]?.v ?? 0;
  if (done > track.length)
    throw new SchemaTooNew(
      `the database's schema (${table} ${done}) is newer than this Longshore build knows (${track.length}): a newer replica upgraded it. Run the newer Longshore here too (upgrade replicas one at a time: docs/cluster-mode.md)`,
    );
  for (let i = done; i < track.length; i++) {
    await client.query('BEGIN');
    try {
      await client.query(track[i]);
      await client.query(`INSERT INTO ${table} (version, applied_by) VALUES ($1, $2)`, [
        i + 1,
        `pid ${process.pid}`,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }
  return track.length - done;
}

/**
 * Applies one more track of migrations (numbered in its own version `table`), under the same
 * advisory lock as `migrate`: how another part of Longshore (the CloudWatch Logs event store) keeps
 * tables of its own in the replicas' database without renumbering the store's migrations.
 */
export async function migrateTrack(
  client: pg.ClientBase,
  table: string,
  track: readonly string[],
): Promise<MigrationReport> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    return { applied: await applyTrack(client, table, track) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
