/** Schema migrations, shared by the SQLite and PostgreSQL stores (plain SQL both accept). */

/** Each entry runs once, in order; the store records the highest applied index. */
export const migrations: readonly string[] = [
  `CREATE TABLE records (
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     version INTEGER NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (kind, key)
   )`,
];
