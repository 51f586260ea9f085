/** The audit log as the audit screen reads it, newest first. Entries are written by the outbox. */
import type { AuditEntry } from '../../shared/contract'
import type { Db } from './database'

type Row = Omit<AuditEntry, 'patientId' | 'patientName'>

/** The local patient id a change names, if it names one (`change` is stored JSON, or old free text). */
function patientIdOf(change: string | null): string | null {
  if (!change) return null
  try {
    const parsed: unknown = JSON.parse(change)
    const id =
      parsed && typeof parsed === 'object' ? (parsed as { patientId?: unknown }).patientId : undefined
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /**
   * The newest entries, each with the patient it concerns, so the screen needs no other call. A
   * "sent" or "refused" entry has no change of its own: it takes the patient of the entry it was
   * queued with (same entity), which may be older than the page asked for.
   */
  latest(limit: number): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, at, actor, connection_id AS connectionId, entity, entity_id AS entityId, action, change, outcome, detail
         FROM audit_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as Row[]
    const byEntity = new Map<string, string>()
    for (const r of [...rows].reverse()) {
      const id = patientIdOf(r.change)
      if (r.entityId && id && !byEntity.has(r.entityId)) byEntity.set(r.entityId, id)
    }
    const firstChange = this.db.prepare(
      `SELECT change FROM audit_log WHERE entity_id = ? AND change IS NOT NULL ORDER BY id LIMIT 1`,
    )
    const patientOf = (r: Row): string | null => {
      const own = patientIdOf(r.change)
      if (own || !r.entityId) return own
      if (!byEntity.has(r.entityId)) {
        const queued = patientIdOf((firstChange.pluck().get(r.entityId) as string | undefined) ?? null)
        if (queued) byEntity.set(r.entityId, queued)
      }
      return byEntity.get(r.entityId) ?? null
    }
    const ids = rows.map(patientOf)
    const wanted = [...new Set(ids.filter((id): id is string => !!id))]
    const names = new Map<string, string>()
    // One query per 500 ids keeps each under SQLite's bound-parameter limit.
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500)
      const found = this.db
        .prepare(
          `SELECT id, given_name AS givenName, family_name AS familyName FROM patients WHERE id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as { id: string; givenName: string; familyName: string }[]
      for (const p of found) names.set(p.id, `${p.givenName} ${p.familyName.toUpperCase()}`.trim())
    }
    return rows.map((r, i) => ({
      ...r,
      patientId: ids[i] ?? null,
      patientName: (ids[i] && names.get(ids[i]!)) || null,
    }))
  }
}
