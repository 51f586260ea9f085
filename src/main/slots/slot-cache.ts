/**
 * Free slots kept in the local copy: filled in the background (soonest and stalest first, within a
 * budget, stepping aside while the outbox has changes to send), fetched again for the range a
 * finder shows, and read back per type with what the local copy already knows is taken removed.
 * A cached slot is only ever an offer: booking keeps the vendor's own check.
 */
import { DateTime } from 'luxon'
import type { Clock } from '../../shared/clock'
import type { Connection, Slot } from '../../shared/model'
import type { SlotCacheRepo, CachedSlotRow } from '../store/slot-cache-repo'
import { cutSlots } from '../vendors/semble/adapter'
import type { VendorAdapter } from '../vendors/types'
import { planSlotRequests, providersOf, typeAgnostic, type SlotUnit } from './plan'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

export interface FillOptions {
  /** Days from the start of today the copy keeps; default 14. */
  days?: number
  /** Vendor requests one fill may make; the next fill goes on with what is stalest. Default 40. */
  budget?: number
  /** Ranges starting before the end of tomorrow are fetched again after this long; default 2 min. */
  nearMaxAgeMs?: number
  /** Later ranges after this long; default 15 min. */
  farMaxAgeMs?: number
  /** Asked before each request: true ends the fill there (the refresh is stopping). */
  stopWhen?: () => boolean
}

export interface FillResult {
  requests: number
  /** Ranges still older than wanted when the fill stopped (budget, writes waiting, or stopping). */
  left: number
  /** Set when the fill stepped aside for writes waiting to be sent. */
  yielded: boolean
}

export interface SlotWant {
  appointmentTypeRef: string
  practitionerRef?: string
  locationRef?: string
  /** The patient's postcode, for vendors whose free times depend on the area (Heim). */
  postcode?: string
  from: string
  to: string
}

export interface CachedSlot extends Slot {
  /** When the vendor last gave this slot. */
  fetchedAt: string
}

export class SlotCache {
  constructor(
    private readonly repo: SlotCacheRepo,
    private readonly clock: Clock,
    /** True while the connection has changes waiting to be sent: writes always go first. */
    private readonly writesWaiting: (connectionId: string) => boolean = () => false,
  ) {}

  /** The background fill: the next `days` days, stalest ranges first, within the budget. */
  async fill(c: Connection, adapter: VendorAdapter, opts: FillOptions = {}): Promise<FillResult> {
    const result: FillResult = { requests: 0, left: 0, yielded: false }
    if (!adapter.findSlots) return result
    const now = this.clock.now()
    const today = DateTime.fromJSDate(now, { zone: c.timeZone }).startOf('day')
    const from = today.toUTC().toISO()!
    const to = today
      .plus({ days: opts.days ?? 14 })
      .toUTC()
      .toISO()!
    const nearEnd = today.plus({ days: 2 }).toUTC().toISO()!
    this.repo.dropBefore(c.id, now.toISOString())
    const ref = this.repo.reference(c.id)
    if (!ref.types.length) return result
    const units = this.plan(c, ref, { from, to })
    const asked = new Map(
      this.repo
        .allCoverage(c.id)
        .map((r) => [
          key(r.appointment_type_ref, r.practitioner_ref, r.location_ref, r.range_start),
          r.fetched_at,
        ]),
    )
    const due = units.filter((u) => {
      const at = asked.get(
        key(u.scope.appointmentTypeRef, u.scope.practitionerRef, u.scope.locationRef, u.scope.from),
      )
      const maxAge =
        u.scope.from < nearEnd ? (opts.nearMaxAgeMs ?? 2 * MINUTE) : (opts.farMaxAgeMs ?? 15 * MINUTE)
      return !at || now.getTime() - Date.parse(at) >= maxAge
    })
    const budget = opts.budget ?? 40
    for (const [i, unit] of due.entries()) {
      if (result.requests >= budget || opts.stopWhen?.()) {
        result.left = due.length - i
        break
      }
      if (this.writesWaiting(c.id)) {
        result.yielded = true
        result.left = due.length - i
        break
      }
      await this.run(adapter, unit)
      result.requests++
    }
    return result
  }

  /** Asks the vendor for one range now (a finder's screen), replacing what the copy had for it. */
  async fetch(c: Connection, adapter: VendorAdapter, want: SlotWant): Promise<number> {
    const ref = this.repo.reference(c.id)
    const units = this.plan(c, ref, want, [want.appointmentTypeRef])
    for (const unit of units) await this.run(adapter, unit)
    return units.length
  }

  /** Whether any part of the range was ever fetched. */
  covered(c: Connection, appointmentTypeRef: string, from: string, to: string): boolean {
    const typeKey = typeAgnostic(c.vendor) ? '' : appointmentTypeRef
    return this.repo.coverage(c.id, typeKey, from, to).length > 0
  }

  /**
   * The copy's free slots of one type in [from, to), soonest first, less any time the local copy
   * already has booked for the same practitioner (including changes not yet sent).
   */
  read(c: Connection, want: SlotWant): CachedSlot[] {
    const ref = this.repo.reference(c.id)
    const typeKey = typeAgnostic(c.vendor) ? '' : want.appointmentTypeRef
    const rows = this.repo
      .slots(c.id, typeKey, want.from, want.to)
      .filter(
        (r) =>
          (!want.practitionerRef || r.practitioner_ref === want.practitionerRef) &&
          (!want.locationRef || r.location_ref === want.locationRef || r.location_ref === ''),
      )
    // "Any practitioner" means any who provides the type, where the vendor links them.
    const providers = providersOf(ref.practitioners, want.appointmentTypeRef)
    const slots = typeKey === '' ? this.cut(c, rows, ref.types, want.appointmentTypeRef) : rows.map(toSlot(c))
    const busy = this.repo.busy(c.id, want.from, new Date(Date.parse(want.to) + DAY).toISOString())
    const taken = (s: CachedSlot) =>
      busy.some(
        (b) =>
          (!b.practitionerRef || !s.practitionerRef || b.practitionerRef === s.practitionerRef) &&
          Date.parse(b.start) < Date.parse(s.end) &&
          Date.parse(b.end) > Date.parse(s.start),
      )
    const notBefore = this.clock.now().getTime()
    return slots
      .filter((s) => Date.parse(s.start) >= notBefore && Date.parse(s.start) >= Date.parse(want.from))
      .filter(
        (s) =>
          !providers || !s.practitionerRef || providers.includes(s.practitionerRef) || !!want.practitionerRef,
      )
      .filter((s) => !taken(s))
      .map((s) => ({ ...s, appointmentTypeRef: want.appointmentTypeRef }))
      .sort(
        (a, b) =>
          a.start.localeCompare(b.start) || (a.practitionerRef ?? '').localeCompare(b.practitionerRef ?? ''),
      )
  }

  private plan(
    c: Connection,
    ref: ReturnType<SlotCacheRepo['reference']>,
    range: { from: string; to: string; practitionerRef?: string; locationRef?: string; postcode?: string },
    typeRefs = ref.types.map((t) => t.ref),
  ): SlotUnit[] {
    const everyone = ref.practitioners.map((p) => p.ref)
    return planSlotRequests({
      vendor: c.vendor,
      connectionId: c.id,
      timeZone: c.timeZone,
      from: range.from,
      to: range.to,
      appointmentTypeRefs: typeRefs,
      locationRefs: ref.locations,
      providersOf: (t) => providersOf(ref.practitioners, t) ?? everyone,
      ...(range.practitionerRef ? { practitionerRef: range.practitionerRef } : {}),
      ...(range.locationRef ? { locationRef: range.locationRef } : {}),
      ...(range.postcode ? { postcode: range.postcode } : {}),
    })
  }

  private async run(adapter: VendorAdapter, unit: SlotUnit) {
    const found = await adapter.findSlots!(unit.query)
    this.repo.replace(unit.scope, found, this.clock.now().toISOString())
  }

  /** Type-agnostic free times (Semble) cut to the type's length, per practitioner and location. */
  private cut(
    c: Connection,
    rows: CachedSlotRow[],
    types: { ref: string; lengthMinutes: number }[],
    typeRef: string,
  ): CachedSlot[] {
    const length = types.find((t) => t.ref === typeRef)?.lengthMinutes
    const groups = new Map<string, CachedSlotRow[]>()
    for (const r of rows) {
      const k = `${r.location_ref}\u0000${r.practitioner_ref}`
      groups.set(k, [...(groups.get(k) ?? []), r])
    }
    const out: CachedSlot[] = []
    for (const pieces of groups.values()) {
      const first = pieces[0]!
      const fetchedAt = pieces.reduce((m, p) => (p.fetched_at < m ? p.fetched_at : m), first.fetched_at)
      // A range asked from "now" starts its first free time at that odd instant: offer the next
      // five-minute mark instead, so the same slot keeps the same time from one answer to the next.
      const free = pieces
        .map((p) => ({ doctor: p.practitioner_ref, start: ceilToFiveMinutes(p.start), end: p.end }))
        .filter((p) => p.start < p.end)
      for (const s of cutSlots(free, length)) {
        out.push({
          connectionId: c.id,
          start: s.start,
          end: s.end,
          ...(s.doctor ? { practitionerRef: s.doctor } : {}),
          ...(first.location_ref ? { locationRef: first.location_ref } : {}),
          fetchedAt,
        })
      }
    }
    return out
  }
}

const ceilToFiveMinutes = (instant: string) =>
  new Date(Math.ceil(Date.parse(instant) / (5 * MINUTE)) * 5 * MINUTE).toISOString()

const key = (type: string, practitioner: string, location: string, from: string) =>
  `${type}\u0000${practitioner}\u0000${location}\u0000${from}`

const toSlot =
  (c: Connection) =>
  (r: CachedSlotRow): CachedSlot => ({
    connectionId: c.id,
    start: r.start,
    end: r.end,
    ...(r.practitioner_ref ? { practitionerRef: r.practitioner_ref } : {}),
    ...(r.location_ref ? { locationRef: r.location_ref } : {}),
    ...(r.token ? { token: r.token } : {}),
    fetchedAt: r.fetched_at,
  })
