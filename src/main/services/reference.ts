/**
 * Reference data (practitioners, appointment types, locations) and free slots for the booking
 * flow. Reference data comes from the cache, filled from the vendor when the cache is empty;
 * slots are always asked of the vendor, since a stale free slot is worse than none.
 */
import { type Clock, systemClock } from '../../shared/clock'
import type { ReferenceData, SlotView } from '../../shared/contract'
import type { Slot } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { CacheRepo } from '../cache/cache-repo'
import type { Logger } from '../log/logger'
import type { SyncEngine } from '../sync/sync-engine'
import type { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import type { ConnectionsRepo } from '../store/connections-repo'
import { unreachable, vendorFailure } from './vendor-failure'

const DAY = 24 * 3600_000

export class ReferenceService {
  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  private cached(connectionId: string): ReferenceData {
    const db = this.cache.db
    const { operations, notes } = this.adapterFor(connectionId).capabilities
    return {
      connectionId,
      capabilities: { operations: [...operations], notes: { ...notes } as Record<string, string> },
      practitioners: db
        .prepare(`SELECT ref, name FROM practitioners WHERE connection_id = ? ORDER BY name`)
        .all(connectionId) as ReferenceData['practitioners'],
      appointmentTypes: db
        .prepare(
          `SELECT ref, name, length_minutes AS lengthMinutes FROM appointment_types WHERE connection_id = ? ORDER BY name`,
        )
        .all(connectionId) as ReferenceData['appointmentTypes'],
      locations: db
        .prepare(`SELECT ref, name FROM locations WHERE connection_id = ? ORDER BY name`)
        .all(connectionId) as ReferenceData['locations'],
    }
  }

  async get(connectionId: string): Promise<ReferenceData> {
    this.connections.get(connectionId)
    const have = this.cached(connectionId)
    if (have.appointmentTypes.length > 0) return have
    const adapter = this.adapterFor(connectionId)
    try {
      const [practitioners, types, locations] = await Promise.all([
        adapter.listPractitioners ? adapter.listPractitioners() : null,
        adapter.listAppointmentTypes ? adapter.listAppointmentTypes() : null,
        adapter.listLocations ? adapter.listLocations() : null,
      ])
      this.cache.replaceReference(connectionId, practitioners, types, locations)
      this.sync.setOnline(connectionId, true)
    } catch (err) {
      if (unreachable(err)) this.sync.setOnline(connectionId, false, err as VendorError)
      else this.log.warn('could not fetch reference data', { connectionId, err })
    }
    return this.cached(connectionId)
  }

  /** The vendor's pre-booking warnings, where it has them; a failed check never blocks booking. */
  async warnings(q: {
    connectionId: string
    practitionerRef: string
    appointmentTypeRef: string
    start: string
    appointmentId?: string
  }): Promise<string[]> {
    const adapter = this.adapterFor(q.connectionId)
    if (!adapter.bookingWarnings) return []
    const currentRef = q.appointmentId ? this.cache.appointmentRow(q.appointmentId)?.ref : undefined
    try {
      return await adapter.bookingWarnings({
        practitionerRef: q.practitionerRef,
        appointmentTypeRef: q.appointmentTypeRef,
        start: q.start,
        ...(currentRef ? { currentRef } : {}),
      })
    } catch (err) {
      this.log.warn('booking warnings unavailable', { connectionId: q.connectionId, err })
      return []
    }
  }

  /** The next free slots, soonest first, across practitioners unless one is chosen. */
  async findSlots(q: {
    connectionId: string
    appointmentTypeRef: string
    practitionerRef?: string
    locationRef?: string
    patientId?: string
    from?: string
    days?: number
    limit?: number
  }): Promise<SlotView[]> {
    const adapter = this.adapterFor(q.connectionId)
    if (!adapter.findSlots) {
      throw new AppFailure(
        'vendor-rejected',
        adapter.capabilities.notes.findSlots ?? 'This clinic system offers no free-slot search.',
      )
    }
    const from = q.from ? new Date(q.from) : this.clock.now()
    const until = from.getTime() + (q.days ?? 7) * DAY
    const limit = q.limit ?? 30
    const postcode = q.patientId ? (this.cache.patientRow(q.patientId)?.postcode ?? undefined) : undefined
    // "Next available": ask two days at a time and stop once there are enough, so a busy
    // receptionist is not kept waiting on a week of per-practitioner requests.
    const slots: Slot[] = []
    try {
      for (let start = from.getTime(); start < until && slots.length < limit; start += 2 * DAY) {
        const found = await adapter.findSlots({
          from: new Date(start).toISOString(),
          to: new Date(Math.min(until, start + 2 * DAY)).toISOString(),
          appointmentTypeRef: q.appointmentTypeRef,
          ...(q.practitionerRef ? { practitionerRef: q.practitionerRef } : {}),
          ...(q.locationRef ? { locationRef: q.locationRef } : {}),
          ...(postcode ? { postcode } : {}),
        })
        slots.push(...found.filter((s) => Date.parse(s.start) >= from.getTime()))
      }
      this.sync.setOnline(q.connectionId, true)
    } catch (err) {
      if (unreachable(err)) this.sync.setOnline(q.connectionId, false, err as VendorError)
      throw vendorFailure(err, 'Free slots could not be fetched')
    }
    const names = new Map(this.cached(q.connectionId).practitioners.map((p) => [p.ref, p.name]))
    return slots
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
      .slice(0, limit)
      .map((s) => {
        const practitionerName = s.practitionerRef ? names.get(s.practitionerRef) : undefined
        return { ...s, ...(practitionerName ? { practitionerName } : {}) }
      })
  }
}
