import type { Migration } from './migration'

/**
 * Migration 6: free slots in the local copy. `slot_cache` holds each connection's free times as
 * the vendor last gave them; `appointment_type_ref` is '' where the vendor's free times do not
 * depend on the type (Semble's availabilities, cut to a type's length when read).
 * `slot_coverage` records which ranges were asked and when, so an empty range reads as "no free
 * time" rather than "never asked", and each slot's age is known.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'free slots in the local copy',
  sql: `
      CREATE TABLE slot_cache (
        connection_id        TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        appointment_type_ref TEXT NOT NULL,
        practitioner_ref     TEXT NOT NULL,
        location_ref         TEXT NOT NULL,
        start                TEXT NOT NULL,
        end                  TEXT NOT NULL,
        token                TEXT,
        fetched_at           TEXT NOT NULL,
        PRIMARY KEY (connection_id, appointment_type_ref, practitioner_ref, location_ref, start)
      ) STRICT;
      CREATE INDEX slot_cache_by_start ON slot_cache (connection_id, appointment_type_ref, start);

      CREATE TABLE slot_coverage (
        connection_id        TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        appointment_type_ref TEXT NOT NULL,
        practitioner_ref     TEXT NOT NULL,
        location_ref         TEXT NOT NULL,
        range_start          TEXT NOT NULL,
        range_end            TEXT NOT NULL,
        fetched_at           TEXT NOT NULL,
        PRIMARY KEY (connection_id, appointment_type_ref, practitioner_ref, location_ref, range_start)
      ) STRICT;
    `,
}
