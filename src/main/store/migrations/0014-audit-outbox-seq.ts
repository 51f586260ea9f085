import type { Migration } from './migration'

/**
 * Migration 14: each audit entry about a queued change names that change's outbox row
 * (`outbox_seq`), so an entry that follows it (sent, refused, discarded, retried) is shown with the
 * change it was queued with: its own times and patient, not those of an earlier change of the same
 * record. Entries written before have none, and are read as before.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'audit outbox seq',
  sql: `
      ALTER TABLE audit_log ADD COLUMN outbox_seq INTEGER;
      CREATE INDEX audit_by_outbox_seq ON audit_log (outbox_seq) WHERE outbox_seq IS NOT NULL;
  `,
}
