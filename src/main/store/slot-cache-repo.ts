/**
 * Free slots in the local copy (tables from migration 6). A fill replaces everything one request
 * covered, in one transaction, so a slot the vendor no longer offers is gone as soon as the range
 * is asked again; coverage rows say which ranges were asked and when.
 */
import type { Db } from './database'

/** What one vendor request covered: '' for "any" in the type, practitioner and location. */
export interface SlotScope {
  connectionId: string
  appointmentTypeRef: string
  practitionerRef: string
  locationRef: string
  /** UTC ISO instants; the range is [from, to). */
  from: string
  to: string
}

export interface CachedSlotRow {
  appointment_type_ref: string
  practitioner_ref: string
  location_ref: string
  start: string
  end: string
  token: string | null
  fetched_at: string
}

export interface CoverageRow {
  appointment_type_ref: string
  practitioner_ref: string
  location_ref: string
  range_start: string
  range_end: string
  fetched_at: string
}

export interface FreshSlot {
  practitionerRef?: string
  locationRef?: string
  start: string
  end: string
  token?: string
}

/** A scope's "any" ('') matches every value; a named one only itself. */
const inScope = `(? = '' OR practitioner_ref = ?) AND (? = '' OR location_ref = ?)`

export class SlotCacheRepo {
  private readonly stmts

  constructor(private readonly db: Db) {
    this.stmts = {
      deleteSlots: db.prepare(
        `DELETE FROM slot_cache WHERE connection_id = ? AND appointment_type_ref = ? AND ${inScope}
           AND start >= ? AND start < ?`,
      ),
      insertSlot: db.prepare(
        `INSERT OR REPLACE INTO slot_cache
           (connection_id, appointment_type_ref, practitioner_ref, location_ref, start, end, token, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteCoverage: db.prepare(
        `DELETE FROM slot_coverage WHERE connection_id = ? AND appointment_type_ref = ?
           AND practitioner_ref = ? AND location_ref = ? AND range_start < ? AND range_end > ?`,
      ),
      insertCoverage: db.prepare(
        `INSERT OR REPLACE INTO slot_coverage
           (connection_id, appointment_type_ref, practitioner_ref, location_ref, range_start, range_end, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      slots: db.prepare(
        `SELECT appointment_type_ref, practitioner_ref, location_ref, start, end, token, fetched_at
           FROM slot_cache
          WHERE connection_id = ? AND appointment_type_ref = ? AND start >= ? AND start < ?
          ORDER BY start, practitioner_ref`,
      ),
      coverage: db.prepare(
        `SELECT appointment_type_ref, practitioner_ref, location_ref, range_start, range_end, fetched_at
           FROM slot_coverage
          WHERE connection_id = ? AND appointment_type_ref = ? AND range_start < ? AND range_end > ?
          ORDER BY range_start`,
      ),
      allCoverage: db.prepare(
        `SELECT appointment_type_ref, practitioner_ref, location_ref, range_start, range_end, fetched_at
           FROM slot_coverage WHERE connection_id = ?`,
      ),
      types: db.prepare(
        `SELECT ref, length_minutes AS lengthMinutes FROM appointment_types WHERE connection_id = ? ORDER BY ref`,
      ),
      locations: db.prepare(`SELECT ref FROM locations WHERE connection_id = ? ORDER BY ref`),
      practitioners: db.prepare(
        `SELECT ref, name, appointment_type_refs AS typeRefs FROM practitioners WHERE connection_id = ? ORDER BY ref`,
      ),
      busy: db.prepare(
        `SELECT practitioner_ref AS practitionerRef, start, end FROM appointments
          WHERE connection_id = ? AND start < ? AND end > ? AND status NOT IN ('cancelled', 'noshow')`,
      ),
      dropBefore: db.prepare(`DELETE FROM slot_cache WHERE connection_id = ? AND end <= ?`),
      dropCoverageBefore: db.prepare(`DELETE FROM slot_coverage WHERE connection_id = ? AND range_end <= ?`),
    }
  }

  /** Replaces what one request covered with what it answered. */
  replace(scope: SlotScope, slots: FreshSlot[], fetchedAt: string): void {
    const s = scope
    this.db.transaction(() => {
      const p = [s.practitionerRef, s.practitionerRef, s.locationRef, s.locationRef]
      this.stmts.deleteSlots.run(s.connectionId, s.appointmentTypeRef, ...p, s.from, s.to)
      for (const slot of slots) {
        if (slot.start < s.from || slot.start >= s.to) continue
        this.stmts.insertSlot.run(
          s.connectionId,
          s.appointmentTypeRef,
          slot.practitionerRef ?? s.practitionerRef,
          slot.locationRef ?? s.locationRef,
          slot.start,
          slot.end,
          slot.token ?? null,
          fetchedAt,
        )
      }
      const key = [s.connectionId, s.appointmentTypeRef, s.practitionerRef, s.locationRef] as const
      this.stmts.deleteCoverage.run(...key, s.to, s.from)
      this.stmts.insertCoverage.run(...key, s.from, s.to, fetchedAt)
    })()
  }

  /** Cached slots of one type key whose start is in [from, to). */
  slots(connectionId: string, appointmentTypeRef: string, from: string, to: string): CachedSlotRow[] {
    return this.stmts.slots.all(connectionId, appointmentTypeRef, from, to) as CachedSlotRow[]
  }

  /** Coverage rows of one type key overlapping [from, to). */
  coverage(connectionId: string, appointmentTypeRef: string, from: string, to: string): CoverageRow[] {
    return this.stmts.coverage.all(connectionId, appointmentTypeRef, to, from) as CoverageRow[]
  }

  allCoverage(connectionId: string): CoverageRow[] {
    return this.stmts.allCoverage.all(connectionId) as CoverageRow[]
  }

  /** The reference data a plan needs, from the local copy. */
  reference(connectionId: string) {
    return {
      types: this.stmts.types.all(connectionId) as { ref: string; lengthMinutes: number }[],
      locations: (this.stmts.locations.all(connectionId) as { ref: string }[]).map((l) => l.ref),
      practitioners: (
        this.stmts.practitioners.all(connectionId) as { ref: string; name: string; typeRefs: string | null }[]
      ).map((p) => ({ ref: p.ref, name: p.name, typeRefs: parseRefs(p.typeRefs) })),
    }
  }

  /**
   * Times already taken in the local copy (the vendor's appointments as last read, and every
   * change still waiting in the outbox, which is applied to the copy when it is made).
   */
  busy(
    connectionId: string,
    from: string,
    to: string,
  ): { practitionerRef: string | null; start: string; end: string }[] {
    return this.stmts.busy.all(connectionId, to, from) as {
      practitionerRef: string | null
      start: string
      end: string
    }[]
  }

  /** Forgets slots and coverage that ended before `before` (the past is never offered). */
  dropBefore(connectionId: string, before: string): void {
    this.stmts.dropBefore.run(connectionId, before)
    this.stmts.dropCoverageBefore.run(connectionId, before)
  }
}

/** A stored JSON list of refs; null (no link) for NULL or anything that is not a list of strings. */
function parseRefs(json: string | null): string[] | null {
  if (json === null) return null
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null
  } catch {
    return null
  }
}
