import type { Migration } from './migration'

/**
 * Migration 11: an index for how old a connection's copy of appointments is. Every day book read
 * asks for the newest `fetched_at` of the connection; without the index that scans all of the
 * connection's appointments (about 11 ms at 20,000), with it SQLite reads one index entry.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'appointments by fetch time',
  sql: `
      CREATE INDEX appointments_fetched ON appointments (connection_id, fetched_at);
  `,
}
