import type { Migration } from './migration'

/**
 * Migration 13: patients the clinic system no longer lists (deleted there, or merged into another
 * record). The background refresh reads each connection's patient list page by page; when it has
 * read the whole list without a gap, every patient of that connection it did not see (save those a
 * queued change still needs, and those written since the pass began) counts one more missed pass
 * in `missed_passes`, and after enough passes in a row `gone_at` says since when it is gone. Search
 * leaves out a gone patient; its row stays, so its appointments still show their patient. Listed
 * again, both are cleared.
 *
 * Search keeps the gone patients' rowids in memory and reads them again only when
 * `patients_gone_version` has moved: the triggers below bump it whenever a patient becomes gone
 * or listed again, and when a gone patient's row is deleted (its rowid may be used again).
 */
export const migration0013: Migration = {
  version: 13,
  name: 'patients missing from the list',
  sql: `
      ALTER TABLE patients ADD COLUMN missed_passes INTEGER NOT NULL DEFAULT 0 CHECK (missed_passes >= 0);
      ALTER TABLE patients ADD COLUMN gone_at TEXT
        CHECK (gone_at IS NULL OR gone_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z');
      -- The few gone patients, read by search without touching the rest.
      CREATE INDEX patients_gone ON patients (gone_at) WHERE gone_at IS NOT NULL;

      CREATE TABLE patients_gone_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      ) STRICT;
      INSERT INTO patients_gone_version (id, version) VALUES (1, 0);

      CREATE TRIGGER patients_gone_update AFTER UPDATE OF gone_at ON patients
      WHEN old.gone_at IS NOT new.gone_at
      BEGIN
        UPDATE patients_gone_version SET version = version + 1;
      END;
      CREATE TRIGGER patients_gone_delete AFTER DELETE ON patients
      WHEN old.gone_at IS NOT NULL
      BEGIN
        UPDATE patients_gone_version SET version = version + 1;
      END;
  `,
}
