import type { AuditEntry } from '../../shared/contract'
import type { Db } from './database'

type Row = Omit<AuditEntry, 'patientId' | 'patientName'> & { seq: number | null }

/** Whom a change names, if it names anyone: the local patient id, or the clinic system's id alone. */
interface Subject {
  patientId?: string
  patientRef?: string
}

/** The patient a change names (`change` is stored JSON, or old free text). */
function subjectOf(change: string | null): Subject | null {
  if (!change) return null
  try {
    const parsed: unknown = JSON.parse(change)
    if (!parsed || typeof parsed !== 'object') return null
    const { patientId, patientRef } = parsed as { patientId?: unknown; patientRef?: unknown }
    if (typeof patientId === 'string') return { patientId }
    return typeof patientRef === 'string' ? { patientRef } : null
  } catch {
    return null
  }
}

type PatientName = { id: string; givenName: string; familyName: string }
const nameOf = (p: { givenName: string; familyName: string }) =>
  `${p.givenName} ${p.familyName.toUpperCase()}`.trim()

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /**
   * The newest entries, each with the patient it concerns, so the screen needs no other call. An
   * entry that follows a queued change ("sent", "refused", "discarded", a person's retry) has no
   * change of its own: it is answered with the change its outbox row was queued with (migration
   * 14), so it shows that change's times and patient, not those of an earlier change of the same
   * record. An older entry, written before entries named their row, takes the patient of its
   * record's first change, as it always did. An entry about a patient record (a registration)
   * names that patient; one that knew the patient only by the clinic system's id names them once
   * the copy has them.
   */
  latest(limit: number): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, at, actor, connection_id AS connectionId, entity, entity_id AS entityId, action, change, outcome, detail,
                outbox_seq AS seq
         FROM audit_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as Row[]
    const queuedWith = this.queuedChanges(rows)
    const firstChange = this.db
      .prepare(`SELECT change FROM audit_log WHERE entity_id = ? AND change IS NOT NULL ORDER BY id LIMIT 1`)
      .pluck()
    const firstOfRecord = new Map<string, Subject | null>()
    const entries = rows.map(({ seq, ...r }) => {
      const queued = !r.change && seq !== null ? queuedWith.get(seq) : undefined
      return queued ? { ...r, change: queued } : r
    })
    const subjects = entries.map((r): Subject | null => {
      if (r.entity === 'patient' && r.entityId) return { patientId: r.entityId }
      const own = subjectOf(r.change)
      if (own || !r.entityId) return own
      if (!firstOfRecord.has(r.entityId))
        firstOfRecord.set(r.entityId, subjectOf((firstChange.get(r.entityId) as string | undefined) ?? null))
      return firstOfRecord.get(r.entityId) ?? null
    })

    const wanted = [...new Set(subjects.flatMap((s) => (s?.patientId ? [s.patientId] : [])))]
    const names = new Map<string, string>()
    // One query per 500 ids keeps each under SQLite's bound-parameter limit.
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500)
      const found = this.db
        .prepare(
          `SELECT id, given_name AS givenName, family_name AS familyName FROM patients WHERE id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as PatientName[]
      for (const p of found) names.set(p.id, nameOf(p))
    }
    // A patient the copy did not have then, by the clinic system's id: a handful at most.
    const byRef = this.db.prepare(
      `SELECT id, given_name AS givenName, family_name AS familyName FROM patients WHERE connection_id = ? AND ref = ?`,
    )
    return entries.map((r, i) => {
      const s = subjects[i]
      if (s?.patientRef && r.connectionId) {
        const p = byRef.get(r.connectionId, s.patientRef) as PatientName | undefined
        return { ...r, patientId: p?.id ?? null, patientName: p ? nameOf(p) : null }
      }
      const id = s?.patientId ?? null
      return { ...r, patientId: id, patientName: (id && names.get(id)) || null }
    })
  }

  /** The change each change-less entry's outbox row was queued with, by that row. */
  private queuedChanges(rows: Row[]): Map<number, string> {
    const seqs = [...new Set(rows.flatMap((r) => (!r.change && r.seq !== null ? [r.seq] : [])))]
    const out = new Map<number, string>()
    for (let i = 0; i < seqs.length; i += 500) {
      const chunk = seqs.slice(i, i + 500)
      const found = this.db
        .prepare(
          `SELECT outbox_seq AS seq, change FROM audit_log
           WHERE outbox_seq IN (${chunk.map(() => '?').join(',')}) AND outcome = 'queued' AND change IS NOT NULL`,
        )
        .all(...chunk) as { seq: number; change: string }[]
      for (const f of found) out.set(f.seq, f.change)
    }
    return out
  }
}
