/**
 * Reference data (practitioners, appointment types, locations) and free slots for the booking
 * flow. Reference data comes from the cache, filled from the vendor when the cache is empty.
 * Free slots come from the copy the background refresh keeps (src/main/slots), confirmed by the
 * vendor for the range on screen; a cached slot is an offer only, since booking keeps the
 * vendor's own check.
 */
import { type Clock, systemClock } from '../../shared/clock'
import type { ReferenceData, SlotView } from '../../shared/contract'
import type { Connection } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { CacheRepo } from '../cache/cache-repo'
import type { EventBus } from '../app/event-bus'
import type { Logger } from '../log/logger'
import type { SlotCache, SlotWant } from '../slots/slot-cache'
import type { SyncEngine } from '../sync/sync-engine'
import type { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import type { ConnectionsRepo } from '../store/connections-repo'
import { daysLater } from './day-book'
import { unreachable, vendorFailure } from './vendor-failure'

export class ReferenceService {
  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly log: Logger,
    private readonly slotCache: SlotCache,
    private readonly bus?: EventBus,
    private readonly clock: Clock = systemClock,
  ) {}

  private cached(connectionId: string): ReferenceData {
    const { operations, notes, patientFields } = this.adapterFor(connectionId).capabilities
    return {
      connectionId,
      capabilities: {
        operations: [...operations],
        notes: { ...notes } as Record<string, string>,
        patientFields: [...patientFields],
      },
      practitioners: this.cache.practitionerNames(connectionId),
      appointmentTypes: this.cache.appointmentTypes(connectionId),
      locations: this.cache.locationNames(connectionId),
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

  /**
   * The next free slots, soonest first, across practitioners unless one is chosen. With a
   * `requestId` and the range in Frontdesk's copy, the copy answers at once and the clinic
   * system's answer follows as a `slotsConfirmed` event; otherwise the clinic system is asked
   * first. Unreachable, the copy answers with its slots marked `fromCopy` (checked when sent).
   */
  async findSlots(q: {
    connectionId: string
    appointmentTypeRef: string
    practitionerRef?: string
    locationRef?: string
    patientId?: string
    from?: string
    days?: number
    limit?: number
    requestId?: string
  }): Promise<SlotView[]> {
    const connection = this.connections.get(q.connectionId)
    const adapter = this.adapterFor(q.connectionId)
    if (!adapter.findSlots) {
      throw new AppFailure(
        'vendor-rejected',
        adapter.capabilities.notes.findSlots ?? 'This clinic system offers no free-slot search.',
      )
    }
    const from = q.from ? new Date(q.from) : this.clock.now()
    const want: SlotWant = {
      appointmentTypeRef: q.appointmentTypeRef,
      from: from.toISOString(),
      to: daysLater(from.toISOString(), q.days ?? 7, connection.timeZone),
      ...(q.practitionerRef ? { practitionerRef: q.practitionerRef } : {}),
      ...(q.locationRef ? { locationRef: q.locationRef } : {}),
    }
    const postcode = q.patientId ? this.cache.patientRow(q.patientId)?.postcode : undefined
    if (postcode) want.postcode = postcode
    const limit = q.limit ?? 30
    // A caller following the event always gets one, so its list never waits on a confirmation
    // that will not come (asked of the vendor first, or unreachable).
    const settle = (slots: SlotView[], error?: string) => {
      if (q.requestId)
        this.bus?.emit('slotsConfirmed', {
          requestId: q.requestId,
          connectionId: connection.id,
          slots,
          removed: 0,
          added: 0,
          ...(error ? { error } : {}),
        })
      return slots
    }
    const fromCopy = (error: string) => settle(this.view(connection, want, limit, true), error)
    const covered = this.slotCache.covered(connection, q.appointmentTypeRef, want.from, want.to)
    if (covered && !this.sync.state(q.connectionId).online) return fromCopy(`${connection.label} is offline.`)
    if (q.requestId && covered) {
      const shown = this.view(connection, want, limit, false)
      void this.confirm(connection, adapter, want, limit, q.requestId, shown)
      return shown
    }
    try {
      await this.slotCache.fetch(connection, adapter, want)
      this.sync.setOnline(q.connectionId, true)
    } catch (err) {
      if (unreachable(err)) {
        this.sync.setOnline(q.connectionId, false, err as VendorError)
        if (covered) return fromCopy(`${connection.label} is offline.`)
      }
      throw vendorFailure(err, 'Free slots could not be fetched')
    }
    return settle(this.view(connection, want, limit, false))
  }

  /** The clinic system's answer for a range shown from the copy, pushed as `slotsConfirmed`. */
  private async confirm(
    connection: Connection,
    adapter: VendorAdapter,
    want: SlotWant,
    limit: number,
    requestId: string,
    shown: SlotView[],
  ) {
    const base = { requestId, connectionId: connection.id }
    try {
      await this.slotCache.fetch(connection, adapter, want)
      this.sync.setOnline(connection.id, true)
    } catch (err) {
      if (unreachable(err)) this.sync.setOnline(connection.id, false, err as VendorError)
      else this.log.warn('free slots could not be confirmed', { connectionId: connection.id, err })
      const slots = unreachable(err) ? this.view(connection, want, limit, true) : shown
      const error = err instanceof Error ? err.message : 'The clinic system did not answer.'
      this.bus?.emit('slotsConfirmed', { ...base, slots, removed: 0, added: 0, error })
      return
    }
    const slots = this.view(connection, want, limit, false)
    const before = new Set(shown.map(slotKey))
    const after = new Set(slots.map(slotKey))
    // Only slots the confirmed list would still reach count as gone (the limit cuts the tail).
    const horizon = slots.length >= limit ? slots[slots.length - 1]!.start : want.to
    const removed = shown.filter((s) => s.start <= horizon && !after.has(slotKey(s))).length
    const added = slots.filter((s) => !before.has(slotKey(s))).length
    this.bus?.emit('slotsConfirmed', { ...base, slots, removed, added })
  }

  /** Cached slots with the names, roles and sites a slot tile shows. */
  private view(connection: Connection, want: SlotWant, limit: number, fromCopy: boolean): SlotView[] {
    const people = new Map(this.cache.practitionerRoles(connection.id).map((p) => [p.ref, p]))
    const locations = this.cache.locationNames(connection.id)
    const sites = new Map(locations.map((l) => [l.ref, l.name]))
    // A slot that names no location is at the clinic's only site, when it has just one.
    const onlySite = locations.length === 1 ? locations[0]!.name : undefined
    return this.slotCache
      .read(connection, want)
      .slice(0, limit)
      .map((s) => {
        const who = s.practitionerRef ? people.get(s.practitionerRef) : undefined
        const locationName = s.locationRef ? sites.get(s.locationRef) : onlySite
        return {
          ...s,
          ...(who ? { practitionerName: who.name } : {}),
          ...(who?.role ? { practitionerRole: who.role } : {}),
          ...(locationName ? { locationName } : {}),
          ...(fromCopy ? { fromCopy } : {}),
        }
      })
  }
}

const slotKey = (s: SlotView) => `${s.start}\u0000${s.practitionerRef ?? ''}\u0000${s.locationRef ?? ''}`
