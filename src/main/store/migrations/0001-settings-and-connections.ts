import type { Migration } from './migration'

/** Migration 1: app settings and the clinic systems it connects to. */
export const migration0001: Migration = {
  version: 1,
  name: 'settings and connections',
  sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE connections (
        id         TEXT PRIMARY KEY,
        vendor     TEXT NOT NULL CHECK (vendor IN ('semble', 'healthie', 'hero', 'heim')),
        label      TEXT NOT NULL,
        base_url   TEXT NOT NULL,
        time_zone  TEXT NOT NULL,
        locale     TEXT NOT NULL DEFAULT 'en-GB',
        options    TEXT NOT NULL DEFAULT '{}',
        demo       INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
}
