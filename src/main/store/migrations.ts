/**
 * Numbered schema migrations. The file records the last one applied in `PRAGMA user_version`;
 * every pending migration runs inside one transaction, so a crash leaves the old schema intact.
 * Append new migrations at the end; never edit one that has shipped.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

export const migrations: Migration[] = [
  {
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
  },
]

export const latestSchemaVersion = (list: Migration[] = migrations) => list.at(-1)?.version ?? 0
