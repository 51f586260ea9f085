/** The audit log as the settings screen reads it, newest first. Entries are written by the outbox. */
import type { AuditEntry } from '../../shared/contract'
import type { Db } from './database'

export class AuditRepo {
  constructor(private readonly db: Db) {}

  latest(limit: number): AuditEntry[] {
    return this.db
      .prepare(
        `SELECT id, at, actor, connection_id AS connectionId, entity, entity_id AS entityId, action, change, outcome, detail
         FROM audit_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as AuditEntry[]
  }
}
