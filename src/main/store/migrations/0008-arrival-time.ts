import type { Migration } from './migration'

/**
 * Migration 8: when the patient arrived (UTC instant), for the waiting room. Set by the desk's
 * check-in, or from the clinic system where it keeps the time (Semble's journey stage); NULL where
 * nobody knows it, including every arrival recorded before this version.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'arrival time',
  sql: `
      ALTER TABLE appointments ADD COLUMN arrived_at TEXT
        CHECK (arrived_at IS NULL OR arrived_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z');
  `,
}
