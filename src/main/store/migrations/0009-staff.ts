import type { Migration } from './migration'

/**
 * Migration 9: the people at the desk, each with a short PIN, so the audit log names who did what
 * and an idle screen can lock. Only a salted scrypt hash of the PIN is kept, never the PIN. With
 * nobody listed, Frontdesk works as before (one name typed in settings, no lock).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'staff at the desk',
  sql: `
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 80),
        pin_salt BLOB NOT NULL CHECK (length(pin_salt) = 16),
        pin_hash BLOB NOT NULL CHECK (length(pin_hash) = 32),
        created_at TEXT NOT NULL
      ) STRICT;
  `,
}
